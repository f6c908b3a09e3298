using Marten;
using Npgsql;
using ReconMesh.EventSourcing.Store;
using ReconMesh.IntegrationTests.Infrastructure;

namespace ReconMesh.IntegrationTests.Relay;

/// <summary>
/// Each store wakes its own relay only (<see cref="AppendSignal"/>): an append notifies the store's channel at commit,
/// never Marten's database-wide one, and a session that appends nothing notifies nobody. PostgreSQL delivers
/// notifications in commit order, so the next one a listener receives tells which transaction sent what.
/// </summary>
[TestFixture]
public sealed class When_a_store_appends_events
{
    private const string First = "append_signal_a";
    private const string Second = "append_signal_b";
    private const string MartensChannel = "mt_events_appended";

    private TestServers _servers = null!;
    private DocumentStore _first = null!;
    private DocumentStore _second = null!;
    private NpgsqlConnection _listener = null!;
    private readonly Queue<string> _heard = new();

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _first = Store(First);
        _second = Store(Second);
        await _first.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await _second.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        _listener = new NpgsqlConnection(_servers.Postgres);
        await _listener.OpenAsync();
        _listener.Notification += (_, e) => _heard.Enqueue(e.Channel);
        await using var listen = new NpgsqlCommand(
            $"LISTEN {AppendSignal.ChannelOf(First)}; LISTEN {AppendSignal.ChannelOf(Second)}; LISTEN {MartensChannel}", _listener);
        await listen.ExecuteNonQueryAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _listener.DisposeAsync();
        _first.Dispose();
        _second.Dispose();
        await _servers.DisposeAsync();
    }

    [Test]
    public async Task Only_its_own_channel_is_told_once_per_commit()
    {
        await using (var session = _first.LightweightSession())
        {
            session.Events.StartStream(Guid.NewGuid(), new Noted("one"), new Noted("two"));
            session.Events.StartStream(Guid.NewGuid(), new Noted("three"));
            await session.SaveChangesAsync();
        }

        await using (var session = _second.LightweightSession())
        {
            session.Events.StartStream(Guid.NewGuid(), new Noted("four"));
            await session.SaveChangesAsync();
        }

        Assert.That(new[] { await NextAsync(), await NextAsync() },
            Is.EqualTo(new[] { AppendSignal.ChannelOf(First), AppendSignal.ChannelOf(Second) }));
    }

    [Test]
    public async Task A_session_without_events_tells_nobody()
    {
        await using (var session = _first.LightweightSession())
        {
            session.Store(new Note { Id = Guid.NewGuid(), Text = "no events here" });
            await session.SaveChangesAsync();
        }

        await using (var session = _second.LightweightSession())
        {
            session.Events.StartStream(Guid.NewGuid(), new Noted("after the document"));
            await session.SaveChangesAsync();
        }

        Assert.That(await NextAsync(), Is.EqualTo(AppendSignal.ChannelOf(Second)));
    }

    [Test]
    public void A_schema_that_makes_no_channel_name_is_refused() =>
        Assert.Throws<ArgumentException>(() => AppendSignal.ChannelOf("payments; drop table x"));

    /// <summary>The next notification the listener receives, waited for on its connection (no polling).</summary>
    private async Task<string> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_heard.Count == 0)
        {
            await _listener.WaitAsync(timeout.Token);
        }

        return _heard.Dequeue();
    }

    private DocumentStore Store(string schema) => DocumentStore.For(o =>
    {
        EventStoreExtensions.ConfigureStore(o, _servers.Postgres, schema);
        o.Events.AddEventType<Noted>();
        o.Schema.For<Note>();
    });

    public sealed record Noted(string Text);

    public sealed class Note
    {
        public Guid Id { get; set; }
        public string Text { get; set; } = "";
    }
}
