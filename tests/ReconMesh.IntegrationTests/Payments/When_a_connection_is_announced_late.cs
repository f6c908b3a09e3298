using System.Net.Http.Json;
using System.Text.Json;
using RabbitMQ.Client;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.IntegrationTests.Infrastructure;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// Fairness between tenants (issue #16): invoices of a connection WritebackService has not heard of (announced late, or
/// never) wait aside in the invoice directory's wait queues, holding no slot, instead of holding the directory's batches
/// in their retries; another tenant's new invoice and its payment go on meanwhile. Before, the batch was retried in its
/// slot for about half a minute and then refused into the error queue. The backlog is issue #16's 10,000 messages; a
/// payment of another tenant's invoice that is still behind them in the directory's queue gets the invoice from
/// InvoiceIngest on a queue of its own, not from behind the backlog.
/// </summary>
[TestFixture]
public sealed class When_a_connection_is_announced_late
{
    /// <summary>Issue #16's figure: a tenant's 10,000 messages that cannot be handled yet.</summary>
    private const int Unannounced = 10_000;
    private const string Directory = "writeback.invoice-directory";
    private PaymentScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await PaymentScenarioHarness.StartAsync(invoices: 1);

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task Its_invoices_wait_aside_while_another_tenants_invoice_and_payment_go_on()
    {
        // The same way with no backlog first, for the figure printed below.
        var (_, alone, _) = await PayANewInvoiceAsync(seed: 22);

        var stranger = Guid.NewGuid();
        foreach (var chunk in Enumerable.Range(0, Unannounced).Chunk(500))
        {
            await Task.WhenAll(chunk.Select(i => _mesh.PlatformBus.Publish(Stranger(stranger, i))));
        }

        var waiting = await Eventually.Until(() => WaitingAsync(), n => n > 0, "the unannounced connection's invoices to wait aside");
        var (externalId, behind, ahead) = await PayANewInvoiceAsync(seed: 23);
        // For docs/reliability.md (not asserted: speed is the benchmarks' to measure).
        await TestContext.Progress.WriteLineAsync($"another tenant's payment of an invoice just synced applied in {behind.TotalSeconds:F1} s " +
            $"with {ahead} messages ahead of that invoice's announcement in the invoice directory's queue, behind a backlog of {Unannounced} " +
            $"invoices that cannot be taken yet ({alone.TotalSeconds:F1} s with none)");
        var stillWaiting = await WaitingAsync();
        var refused = await CountAsync($"{Directory}_error");

        Assert.That(waiting, Is.GreaterThan(0));
        Assert.That(stillWaiting, Is.GreaterThan(0), "the unannounced invoices still wait aside, behind nobody's payment");
        Assert.That(refused, Is.Zero, "waiting is not refusing: nothing in the error queue before the horizon");
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), externalId), Has.Count.EqualTo(1));
    }

    /// <summary>
    /// A new invoice of the tenant in QuickBooks, synced in by InvoiceIngest and paid at once by a platform that already
    /// knows it (it heard of it before WritebackService did, whose invoice directory may still have a backlog to work
    /// through): the payment asks InvoiceIngest for the invoice, whose answer comes on a queue of its own. Answers how
    /// long from the payment to its write-back, and how many messages were ahead in the directory's queue when it was paid.
    /// </summary>
    private async Task<(string ExternalId, TimeSpan Took, uint Ahead)> PayANewInvoiceAsync(int seed)
    {
        using var seeded = await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = 1, invoices = 1, currency = "USD", seed });
        seeded.EnsureSuccessStatusCode();
        var externalId = (await seeded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invoices")[0].GetString()!;
        var invoiceId = _mesh.InvoiceIdFor(externalId);
        await Eventually.Until(async () =>
        {
            using var response = await _mesh.InvoiceIngest.GetAsync($"/tenants/{_mesh.Tenant}/invoices/{invoiceId}");
            return response.StatusCode;
        }, status => status == System.Net.HttpStatusCode.OK, "InvoiceIngest to sync the new invoice in");
        var total = Invoice(await _mesh.BooksAsync(), externalId).GetProperty("totalAmt").GetDecimal();
        var ahead = await CountAsync(Directory);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await _mesh.SettledAsync(await _mesh.PayAsync((invoiceId, total)), "Applied");
        return (externalId, started.Elapsed, ahead);
    }

    /// <summary>One invoice of the unannounced connection, in a message of its own (as the relay sends a single change).</summary>
    private static InvoicesSynced Stranger(Guid connection, int i) =>
        new("tenant-announced-late", connection, [new(MeshIds.Invoice(connection, $"late-{i}"), 1, "tenant-announced-late", connection,
            IntegrationKind.QuickBooksOnline, $"late-{i}", $"L-{i}", "cust-1", "Late Ltd", "USD", 10m, 10m, new DateOnly(2026, 12, 1), null, [],
            DateTimeOffset.UtcNow)]);

    /// <summary>The invoice directory's messages in its wait queues (5 s and 30 s, the first two default tiers).</summary>
    private async Task<uint> WaitingAsync() => await CountAsync($"{Directory}.wait-5s") + await CountAsync($"{Directory}.wait-30s");

    private async Task<uint> CountAsync(string queue)
    {
        await using var amqp = await new ConnectionFactory { Uri = new Uri(_mesh.RabbitMqUrl) }.CreateConnectionAsync();
        return await QueueDepth.CountAsync(amqp, queue);
    }
}
