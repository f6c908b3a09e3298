using Npgsql;
using ReconMesh.EventSourcing.Store;

namespace ReconMesh.UnitTests.Store;

/// <summary>
/// Every service's event store keeps within a connection budget (so the services fit PostgreSQL's default limit
/// together), skips Npgsql's reset of each connection it takes back and prepares the statements it repeats, unless its
/// connection string says otherwise.
/// </summary>
[TestFixture]
public sealed class When_a_service_pools_its_connections
{
    private const string Plain = "Host=127.0.0.1;Database=reconmesh;Username=reconmesh;Password=secret";

    [Test]
    public void Should_bound_the_pool_and_skip_the_reset_by_default()
    {
        var pooled = new NpgsqlConnectionStringBuilder(EventStoreExtensions.PooledForTheMesh(Plain));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pooled.MaxPoolSize, Is.EqualTo(EventStoreExtensions.DefaultMaxPoolSize));
            Assert.That(pooled.NoResetOnClose, Is.True);
            Assert.That(pooled.MaxAutoPrepare, Is.EqualTo(EventStoreExtensions.DefaultMaxAutoPrepare));
            Assert.That(pooled.AutoPrepareMinUsages, Is.EqualTo(2));
            Assert.That(pooled.Password, Is.EqualTo("secret"));
        }
    }

    [TestCase("Maximum Pool Size=60")]
    [TestCase("MaxPoolSize=60")]
    [TestCase("maximum pool size = 60")]
    public void Should_keep_a_pool_size_the_operator_chose(string setting)
    {
        var pooled = new NpgsqlConnectionStringBuilder(EventStoreExtensions.PooledForTheMesh($"{Plain};{setting};No Reset On Close=false"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pooled.MaxPoolSize, Is.EqualTo(60));
            Assert.That(pooled.NoResetOnClose, Is.False);
        }
    }

    [TestCase("Max Auto Prepare=0")]
    [TestCase("MaxAutoPrepare=0")]
    public void Should_keep_automatic_preparation_off_when_the_operator_says_so(string setting)
    {
        var pooled = new NpgsqlConnectionStringBuilder(EventStoreExtensions.PooledForTheMesh($"{Plain};{setting}"));

        Assert.That(pooled.MaxAutoPrepare, Is.Zero);
    }

    [Test]
    public void Should_judge_each_setting_on_its_own()
    {
        var pooled = new NpgsqlConnectionStringBuilder(EventStoreExtensions.PooledForTheMesh($"{Plain};Minimum Pool Size=5;Auto Prepare Min Usages=7"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pooled.MinPoolSize, Is.EqualTo(5));
            Assert.That(pooled.MaxPoolSize, Is.EqualTo(EventStoreExtensions.DefaultMaxPoolSize));
            Assert.That(pooled.AutoPrepareMinUsages, Is.EqualTo(7));
            Assert.That(pooled.MaxAutoPrepare, Is.EqualTo(EventStoreExtensions.DefaultMaxAutoPrepare));
        }
    }
}
