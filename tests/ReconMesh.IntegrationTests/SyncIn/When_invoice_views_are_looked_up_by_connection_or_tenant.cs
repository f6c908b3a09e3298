using Marten;
using Marten.Linq;
using Npgsql;
using ReconMesh.Domain.Invoices;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.InvoiceIngest.Invoices;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// A connection's status counts its invoices, its reconciliation reads its open ones, and the API lists a tenant's: each
/// must be found through an index, not by reading every invoice of the deployment (issue #14: the status poll of the
/// bench's initial sync alone took a tenth of InvoiceIngest's CPU). The plans are asked of PostgreSQL for the commands
/// Marten writes, with sequential scans priced out, so an index that does not match what Marten writes fails here.
/// </summary>
[TestFixture]
public sealed class When_invoice_views_are_looked_up_by_connection_or_tenant
{
    private TestServers _servers = null!;
    private IngestStore _ingest = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _ingest = new IngestStore(_servers.Postgres);
        await _ingest.Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _ingest.Dispose();
        await _servers.DisposeAsync();
    }

    [Test]
    public async Task A_connections_count_uses_the_connection_index() =>
        Assert.That(await PlanAsync(s => InvoiceViews.OfConnection(s, Guid.NewGuid()), FetchType.Count),
            Does.Contain("idx_invoice_connection_id"));

    [Test]
    public async Task A_connections_open_invoices_use_the_connection_index() =>
        Assert.That(await PlanAsync(s => InvoiceViews.OfConnection(s, Guid.NewGuid()).Where(v => !v.Archived && v.Invoice.Balance > 0m),
            FetchType.FetchMany), Does.Contain("idx_invoice_connection_id"));

    [Test]
    public async Task A_tenants_invoice_list_uses_the_tenant_index() =>
        Assert.That(await PlanAsync(s => InvoiceViews.OfTenant(s, "tenant-index").OrderBy(v => v.Invoice.Number).Take(100), FetchType.FetchMany),
            Does.Contain("idx_invoice_tenant_id"));

    private async Task<string> PlanAsync(Func<IQuerySession, IQueryable<InvoiceView>> query, FetchType fetch)
    {
        await using var session = _ingest.Store.QuerySession();
        var command = query(session).ToCommand(fetch);
        await using var connection = new NpgsqlConnection(_servers.Postgres);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("set local enable_seqscan = off", connection, transaction))
        {
            await off.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("explain " + command.CommandText, connection, transaction);
        foreach (NpgsqlParameter parameter in command.Parameters)
        {
            explain.Parameters.Add(parameter.Clone());
        }

        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        return string.Join('\n', plan);
    }
}
