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
/// slot for about half a minute and then refused into the error queue.
/// </summary>
[TestFixture]
public sealed class When_a_connection_is_announced_late
{
    private const int Unannounced = 200;
    private const string Directory = "writeback.invoice-directory";
    private PaymentScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await PaymentScenarioHarness.StartAsync(invoices: 1);

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task Its_invoices_wait_aside_while_another_tenants_invoice_and_payment_go_on()
    {
        var stranger = Guid.NewGuid();
        for (var i = 0; i < Unannounced; i++)
        {
            await _mesh.PlatformBus.Publish(Stranger(stranger, i));
        }

        var waiting = await Eventually.Until(() => WaitingAsync(), n => n > 0, "the unannounced connection's invoices to wait aside");

        using var seeded = await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed",
            new { customers = 1, invoices = 1, currency = "USD", seed = 23 });
        seeded.EnsureSuccessStatusCode();
        var externalId = (await seeded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invoices")[0].GetString()!;
        var invoice = await Eventually.Until(_mesh.PlatformInvoicesAsync, i => i.Any(x => x.InvoiceId == _mesh.InvoiceIdFor(externalId)),
            "the tenant's new invoice to sync in");
        var fresh = invoice.Single(x => x.InvoiceId == _mesh.InvoiceIdFor(externalId));
        var payment = await _mesh.PayAsync((fresh.InvoiceId, fresh.Balance));
        await _mesh.SettledAsync(payment, "Applied");
        var stillWaiting = await WaitingAsync();
        var refused = await CountAsync($"{Directory}_error");

        Assert.That(waiting, Is.GreaterThan(0));
        Assert.That(stillWaiting, Is.GreaterThan(0), "the unannounced invoices still wait aside, behind nobody's payment");
        Assert.That(refused, Is.Zero, "waiting is not refusing: nothing in the error queue before the horizon");
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), externalId), Has.Count.EqualTo(1));
    }

    private static InvoiceSynced Stranger(Guid connection, int i) =>
        new(MeshIds.Invoice(connection, $"late-{i}"), 1, "tenant-announced-late", connection, IntegrationKind.QuickBooksOnline, $"late-{i}",
            $"L-{i}", "cust-1", "Late Ltd", "USD", 10m, 10m, new DateOnly(2026, 12, 1), null, [], DateTimeOffset.UtcNow);

    /// <summary>The invoice directory's messages in its wait queues (5 s and 30 s, the first two default tiers).</summary>
    private async Task<uint> WaitingAsync() => await CountAsync($"{Directory}.wait-5s") + await CountAsync($"{Directory}.wait-30s");

    private async Task<uint> CountAsync(string queue)
    {
        await using var amqp = await new ConnectionFactory { Uri = new Uri(_mesh.RabbitMqUrl) }.CreateConnectionAsync();
        return await QueueDepth.CountAsync(amqp, queue);
    }
}
