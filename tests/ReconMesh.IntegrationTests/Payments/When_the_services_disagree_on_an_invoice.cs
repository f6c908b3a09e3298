using System.Net.Http.Json;
using System.Text.Json;
using RabbitMQ.Client;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.WritebackService.AntiEntropy;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// The scheduled disagreement check (issue #16, Build 3; ADR 10). An invoice syncs in while WritebackService is down and
/// its announcement is purged from WritebackService's queue; then, while InvoiceIngest is down, a payment for it waits
/// and its request for the invoice (<c>InvoicesAwaited</c>) is purged from InvoiceIngest's queue too. Nothing announces
/// the invoice again: InvoiceIngest holds it, WritebackService waits for it, and without the check the payment would wait
/// until the invoice wait's timeout made it a person's work. The check finds the payment waiting too long, asks again,
/// and the payment is written back, once.
/// </summary>
[TestFixture]
public sealed class When_the_services_disagree_on_an_invoice
{
    private const string InvoiceDirectoryQueue = "writeback.invoice-directory";
    private const string InvoicesAwaitedQueue = "invoice-ingest.invoices-awaited";

    private PaymentScenarioHarness _mesh = null!;
    private InvoiceSynced _lost = null!;
    private uint _announcementsPurged;
    private uint _requestsPurged;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await PaymentScenarioHarness.StartAsync(invoices: 1, writebackSettings: new Dictionary<string, string?>
        {
            [$"{DisagreementCheckOptions.Section}:{nameof(DisagreementCheckOptions.Interval)}"] = "00:00:00.500",
            [$"{DisagreementCheckOptions.Section}:{nameof(DisagreementCheckOptions.WaitingLongerThan)}"] = "00:00:02",
        });
        await _mesh.RestartWritebackAsync(whileStopped: SyncAnInvoiceAndPurgeItsAnnouncementAsync);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task A_payment_whose_request_for_its_invoice_was_lost_is_written_back_once()
    {
        PaymentProcessed? payment = null;
        await _mesh.RestartInvoiceIngestAsync(whileStopped: async () =>
        {
            payment = await _mesh.PayAsync((_lost.InvoiceId, _lost.Balance));
            _requestsPurged = await PurgeOnceItHoldsAsync(InvoicesAwaitedQueue, "the payment's request for its invoice");
        });

        var applied = await _mesh.SettledAsync(payment!, "Applied");

        Assert.That(_announcementsPurged, Is.GreaterThanOrEqualTo(1), "the invoice's InvoiceSynced was purged from WritebackService's queue");
        Assert.That(_requestsPurged, Is.GreaterThanOrEqualTo(1), "the payment's InvoicesAwaited was purged from InvoiceIngest's queue");
        Assert.That(Story(applied), Is.EqualTo(new[] { "writeback_awaiting_invoices", "payment_written_back" }));
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), _lost.ExternalId), Has.Count.EqualTo(1));
    }

    private async Task SyncAnInvoiceAndPurgeItsAnnouncementAsync()
    {
        using var seeded = await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed",
            new { customers = 1, invoices = 1, currency = "USD", seed = 31 });
        seeded.EnsureSuccessStatusCode();
        var id = _mesh.InvoiceIdFor((await seeded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invoices")[0].GetString()!);
        var known = await Eventually.Until(_mesh.PlatformInvoicesAsync, i => i.Any(x => x.InvoiceId == id), "the new invoice to sync in");
        _lost = known.Single(i => i.InvoiceId == id);
        _announcementsPurged = await PurgeOnceItHoldsAsync(InvoiceDirectoryQueue, "the invoice's announcement");
    }

    /// <summary>Waits until <paramref name="queue"/> holds at least one message (its consumer is down), then purges it.</summary>
    private async Task<uint> PurgeOnceItHoldsAsync(string queue, string what)
    {
        await using var amqp = await new ConnectionFactory { Uri = new Uri(_mesh.RabbitMqUrl) }.CreateConnectionAsync();
        await Eventually.Until(() => QueueDepth.CountAsync(amqp, queue), n => n >= 1, $"{what} to wait in {queue}");
        await using var channel = await amqp.CreateChannelAsync();
        return await channel.QueuePurgeAsync(queue);
    }
}
