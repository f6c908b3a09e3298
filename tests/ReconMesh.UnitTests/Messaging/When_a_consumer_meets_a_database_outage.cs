using System.Net.Sockets;
using Marten.Exceptions;
using Npgsql;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.UnitTests.Messaging;

/// <summary>
/// <see cref="DatabaseOutage"/>: what makes a message wait in its slot for the database rather than fault. A refused or
/// dropped connection, however Marten wraps it, is an outage; a broken rule of the database (a duplicate key) or anything
/// else is not, and keeps the ordinary retries.
/// </summary>
[TestFixture]
public sealed class When_a_consumer_meets_a_database_outage
{
    private static NpgsqlException Refused() => new("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

    [Test]
    public void Should_see_a_refused_connection_as_an_outage() =>
        Assert.That(DatabaseOutage.Is(Refused()), Is.True);

    [Test]
    public void Should_see_it_through_martens_wrapping() =>
        Assert.That(DatabaseOutage.Is(new MartenCommandException(new NpgsqlCommand("select 1"), Refused())), Is.True);

    [Test]
    public void Should_see_it_in_a_single_aggregate() =>
        Assert.That(DatabaseOutage.Is(new AggregateException(Refused())), Is.True);

    [Test]
    public void Should_not_see_a_duplicate_key_or_another_failure_as_one() =>
        Assert.Multiple(() =>
        {
            Assert.That(DatabaseOutage.Is(new PostgresException("duplicate key", "ERROR", "ERROR", "23505")), Is.False);
            Assert.That(DatabaseOutage.Is(new InvalidOperationException("a rule")), Is.False);
            Assert.That(DatabaseOutage.Is(null), Is.False);
        });
}
