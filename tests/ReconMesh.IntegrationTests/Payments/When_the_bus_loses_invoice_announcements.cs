using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RabbitMQ.Client;
using ReconMesh.Contracts.Invoices;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.EventSourcing.Relay;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// Anti-entropy (issue #16, "what the bus lost is never found again"). While WritebackService is down, invoices sync in
/// and their <c>InvoicesSynced</c> wait in its queue; an operator purges the queue. The invoices are in InvoiceIngest's
/// streams, but WritebackService never heard of them: a payment for one of them waits for it. The operator asks
/// InvoiceIngest to announce the connection's invoices again; the waiting payment is written back, and a payment for
/// another of the lost invoices is written back without waiting at all. Before any replay, a payment that starts waiting
/// asks InvoiceIngest to announce its own invoices again (<c>InvoicesAwaited</c>), and is written back without anyone.
/// </summary>
[TestFixture]
public sealed class When_the_bus_loses_invoice_announcements
{
    private const int SeededInvoices = 2;
    private const int LostInvoices = 3;

    /// <summary>WritebackService's queue of <c>InvoicesSynced</c> (<c>InvoicesSyncedConsumerDefinition</c>).</summary>
    private const string InvoiceDirectoryQueue = "writeback.invoice-directory";

    private PaymentScenarioHarness _mesh = null!;
    private List<InvoiceSynced> _lost = [];
    private uint _purged;

    [OneTimeSetUp]
    public async Task Start()
    {
        // Pages of two streams, so the replay of five invoices crosses pages (production reads 500 at a time).
        _mesh = await PaymentScenarioHarness.StartAsync(invoices: SeededInvoices,
            invoiceIngestSettings: new Dictionary<string, string?> { [$"{ReplayOptions.Section}:{nameof(ReplayOptions.PageSize)}"] = "2" });
        await _mesh.RestartWritebackAsync(whileStopped: SyncInvoicesAndPurgeWritebacksQueueAsync);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    /// <summary>Runs first, before any replay: the payment's own request is all that finds its invoice again.</summary>
    [Test]
    [Order(1)]
    public async Task A_payment_that_waits_for_a_lost_invoice_has_it_announced_again_and_is_written_back()
    {
        Assert.That(_purged, Is.GreaterThanOrEqualTo(1), "the lost invoices' InvoicesSynced were in WritebackService's queue when it was purged");
        var payment = await _mesh.PayAsync((_lost[2].InvoiceId, _lost[2].Balance));

        var applied = await _mesh.SettledAsync(payment, "Applied");

        Assert.That(Story(applied), Is.EqualTo(new[] { "writeback_awaiting_invoices", "payment_written_back" }));
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), _lost[2].ExternalId), Has.Count.EqualTo(1));
        // The answer came combined only: nothing the answers' queue does not read was set aside there.
        await using var amqp = await new ConnectionFactory { Uri = new Uri(_mesh.RabbitMqUrl) }.CreateConnectionAsync();
        Assert.That(await QueueDepth.CountAsync(amqp, "writeback.invoices-answered_skipped"), Is.Zero);
    }

    /// <summary>
    /// The waiting payment's own request (above) finds its invoice too; what only the replay finds is every other lost
    /// invoice: a payment for one of them, made after the replay, does not wait at all.
    /// </summary>
    [Test]
    [Order(2)]
    public async Task An_operators_replay_lets_the_waiting_payment_and_the_next_ones_be_written_back()
    {
        Assert.That(_purged, Is.GreaterThanOrEqualTo(1), "the lost invoices' InvoicesSynced were in WritebackService's queue when it was purged");
        var waiting = await _mesh.PayAsync((_lost[0].InvoiceId, _lost[0].Balance));
        await Eventually.Until(() => _mesh.PaymentAsync(_mesh.MeshId(waiting)),
            p => p is { } x && Story(x).Contains("writeback_awaiting_invoices"), "the payment to wait for its lost invoice");

        using var replay = await ReplayAsync();
        var counted = await replay.Content.ReadFromJsonAsync<JsonElement>(Json);
        var applied = await _mesh.SettledAsync(waiting, "Applied");
        var next = await _mesh.PayAsync((_lost[1].InvoiceId, _lost[1].Balance));
        var nextApplied = await _mesh.SettledAsync(next, "Applied");
        using var repeated = await ReplayAsync();
        var repeatedCount = await repeated.Content.ReadFromJsonAsync<JsonElement>(Json);
        var books = await _mesh.BooksAsync();

        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), counted.ToString());
        Assert.That(counted.GetProperty("invoices").GetInt32(), Is.EqualTo(SeededInvoices + LostInvoices), "each invoice once, across pages");
        Assert.That(counted.GetProperty("billingContacts").GetInt32(), Is.GreaterThan(0));
        // Each invoice once, as it is now (one paid since is not announced twice), combined with the others of its page of
        // two streams (InvoicesSynced) and, by default, alone too (InvoiceSynced, for consumers of the older contract);
        // each billing contact in a message of its own.
        var invoices = SeededInvoices + LostInvoices;
        Assert.That(counted.GetProperty("messages").GetInt32(), Is.EqualTo((invoices + 1) / 2 + invoices + counted.GetProperty("billingContacts").GetInt32()));
        Assert.That(Story(applied), Does.Contain("writeback_awaiting_invoices"));
        Assert.That(Story(nextApplied), Does.Not.Contain("writeback_awaiting_invoices"), "the replay told WritebackService of every lost invoice");
        Assert.That(repeated.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "a replay can be repeated");
        Assert.That(repeatedCount.GetProperty("messages").GetInt32(), Is.EqualTo(counted.GetProperty("messages").GetInt32()));
        Assert.That(LivePaymentsFor(books, _lost[0].ExternalId), Has.Count.EqualTo(1));
        Assert.That(LivePaymentsFor(books, _lost[1].ExternalId), Has.Count.EqualTo(1));
    }

    [Test]
    [Order(3)]
    public async Task Another_tenant_cannot_replay_the_connection()
    {
        using var other = TestAuth.Operator(_mesh.InvoiceIngest.BaseAddress!, "another-tenant");
        using var answer = await other.PostAsync($"/tenants/another-tenant/connections/{_mesh.ConnectionId}/replay", null);

        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private Task<HttpResponseMessage> ReplayAsync() =>
        _mesh.InvoiceIngest.PostAsync($"/tenants/{_mesh.Tenant}/connections/{_mesh.ConnectionId}/replay", null);

    /// <summary>New invoices sync in (the platform hears of them) while WritebackService is down; then its queue is purged.</summary>
    private async Task SyncInvoicesAndPurgeWritebacksQueueAsync()
    {
        using var seeded = await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed",
            new { customers = 1, invoices = LostInvoices, currency = "USD", seed = 16 });
        seeded.EnsureSuccessStatusCode();
        var ids = (await seeded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invoices").EnumerateArray()
            .Select(i => _mesh.InvoiceIdFor(i.GetString()!)).ToHashSet();
        var known = await Eventually.Until(_mesh.PlatformInvoicesAsync, i => ids.IsSubsetOf(i.Select(x => x.InvoiceId)), "the new invoices to sync in");
        _lost = [.. known.Where(i => ids.Contains(i.InvoiceId)).OrderBy(i => i.Number, StringComparer.Ordinal)];

        // The platform's queue and WritebackService's are bound to the same exchange: what the platform heard waits in both.
        await using var amqp = await new ConnectionFactory { Uri = new Uri(_mesh.RabbitMqUrl) }.CreateConnectionAsync();
        await using var channel = await amqp.CreateChannelAsync();
        _purged = await channel.QueuePurgeAsync(InvoiceDirectoryQueue);
    }
}
