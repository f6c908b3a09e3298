using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ReconMesh.Contracts;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.IntegrationTests.Corpus;

/// <summary>
/// Tenant isolation, tried: tenant B (on ConnectWise) sends messages and calls the APIs naming tenant A's (QuickBooks)
/// invoices, payments, payment streams, exceptions and connections. Each is refused or lands in B's own exceptions
/// queue; A's books, A's streams and A's sagas are as they were, and A's own payments still go through once.
/// </summary>
[TestFixture]
[Category("Corpus")]
public sealed class When_one_tenant_reaches_for_anothers_books
{
    private CorpusHarness _mesh = null!;
    private InvoiceSynced _paidInvoiceA = null!;
    private PaymentProcessed _paymentA = null!;
    private PaymentProcessed _attentionA = null!;

    private string A => _mesh.TenantA;

    private string B => _mesh.TenantB;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await CorpusHarness.StartAsync(quickBooksInvoices: 8, connectWiseInvoices: 4);
        _paidInvoiceA = await _mesh.TakeInvoiceAsync(A);
        _paymentA = CorpusHarness.Payment(A, _paidInvoiceA);
        // A's payment that needs a person: in another currency than its invoice.
        var other = await _mesh.TakeInvoiceAsync(A);
        _attentionA = CorpusHarness.Payment(A, other) with { Currency = "EUR" };
        await _mesh.PlatformBus.Publish(_paymentA);
        await _mesh.PlatformBus.Publish(_attentionA);
        await _mesh.SettledAsync(A, _paymentA.PaymentId, "Applied");
        await _mesh.SettledAsync(A, _attentionA.PaymentId, "NeedsAttention");

        // The paid balance flows back in through the sync; only then does A's invoice stand still for the snapshots.
        await Eventually.Until(() => _mesh.InvoiceIngest.GetFromJsonAsync<JsonElement>($"/tenants/{A}/invoices/{_paidInvoiceA.InvoiceId}", PaymentScenarioHarness.Json),
            d => d.GetProperty("invoice").GetProperty("balance").GetDecimal() == 0m, "A's paid invoice to sync back in as paid");
    }

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task A_payment_of_B_that_allocates_to_As_invoice_writes_nothing_to_As_books()
    {
        var invoiceA = await _mesh.TakeInvoiceAsync(A);
        var before = await SnapshotAsync(invoiceA);
        var payment = CorpusHarness.Payment(B, invoiceA) with { TenantId = B };

        await _mesh.PlatformBus.Publish(payment);
        var settled = await _mesh.SettledAsync(B, payment.PaymentId, "NeedsAttention");

        Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo("invoice-of-another-tenant"));
        Assert.That(await SnapshotAsync(invoiceA), Is.EqualTo(before), "A's invoice, in the books and in its stream");
        Assert.That(await _mesh.PaymentAsync(A, MeshIds.Payment(A, payment.PaymentId)), Is.Null, "nothing appears under A");
    }

    [TestCase("payment.failed")]
    [TestCase("payment.refunded")]
    [TestCase("payment.charged_back")]
    public async Task A_reversal_of_B_naming_As_payment_is_refused_and_As_payment_stays_booked(string type)
    {
        var before = await _mesh.PaymentAsync(A, MeshIds.Payment(A, _paymentA.PaymentId));
        var booksBefore = await SnapshotAsync(_paidInvoiceA);
        object data = type switch
        {
            "payment.failed" => new PaymentFailed(_paymentA.PaymentId, B, "R01", "NSF", DateTimeOffset.UtcNow),
            "payment.refunded" => new PaymentRefunded(_paymentA.PaymentId, B, $"re_{Guid.NewGuid():N}", "USD", _paymentA.Amount, "r", DateTimeOffset.UtcNow),
            _ => new PaymentChargedBack(_paymentA.PaymentId, B, $"dp_{Guid.NewGuid():N}", "USD", _paymentA.Amount, "10.4", "Fraud", DateTimeOffset.UtcNow),
        };
        var messageId = Guid.NewGuid();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { type, id = "evt_x", data }, PaymentScenarioHarness.Json);
        await _mesh.PublishRawAsync(ReconMesh.PaymentEvents.Payments.PlatformJsonConsumer.ExchangeName, "", body, "application/json", messageId.ToString());

        var rejected = await _mesh.RejectedAsync(messageId);
        Assert.That(rejected.Reasons, Has.Some.Contains($"Tenant {B} has no payment {_paymentA.PaymentId}"));
        Assert.That(rejected.TenantId, Is.EqualTo(B));
        var after = await _mesh.PaymentAsync(A, MeshIds.Payment(A, _paymentA.PaymentId));
        Assert.That(after!.Value.GetProperty("state").GetString(), Is.EqualTo("Applied"));
        Assert.That(after.Value.GetProperty("story").GetArrayLength(), Is.EqualTo(before!.Value.GetProperty("story").GetArrayLength()), "A's payment's story");
        Assert.That(await SnapshotAsync(_paidInvoiceA), Is.EqualTo(booksBefore));
    }

    [Test]
    public async Task A_payout_of_B_naming_As_payment_deposits_nothing_in_As_books()
    {
        var depositsBefore = Deposits(await _mesh.QuickBooksBooksAsync());
        var payout = new PayoutPaid($"po_{Guid.NewGuid():N}", B, "USD", _paymentA.Amount - _paymentA.Fee,
            [new PayoutPayment(_paymentA.PaymentId, _paymentA.Amount, _paymentA.Fee)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(payout);

        // A's own payout of the same payment, sent after B's, is the one deposit that settles it.
        var own = payout with { PayoutId = $"po_{Guid.NewGuid():N}", TenantId = A };
        await _mesh.PlatformBus.Publish(own);
        var books = await Eventually.Until(_mesh.QuickBooksBooksAsync, b => Deposits(b) > depositsBefore, "A's own payout to be deposited");

        Assert.That(Deposits(books), Is.EqualTo(depositsBefore + 1), "one deposit: A's");
        Assert.That(books.GetProperty("deposits").EnumerateArray().Last().GetProperty("totalAmt").GetDecimal(), Is.EqualTo(own.Amount));
    }

    [Test]
    public async Task B_cannot_read_or_change_As_payments_or_exceptions_over_HTTP()
    {
        var paid = MeshIds.Payment(A, _paymentA.PaymentId);
        var waiting = MeshIds.Payment(A, _attentionA.PaymentId);

        Assert.That((await _mesh.Writeback.GetAsync($"/tenants/{B}/payments/{paid}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await _mesh.Writeback.GetAsync($"/tenants/{B}/payments/{waiting}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var exceptions = await _mesh.Writeback.GetFromJsonAsync<List<JsonElement>>($"/tenants/{B}/exceptions", PaymentScenarioHarness.Json);
        Assert.That(exceptions!.Select(e => e.GetProperty("meshPaymentId").GetGuid()), Does.Not.Contain(waiting));
        var states = await _mesh.Writeback.GetFromJsonAsync<JsonElement>($"/tenants/{B}/payments", PaymentScenarioHarness.Json);
        Assert.That(states.GetProperty("oldest").EnumerateArray().Select(p => p.GetProperty("meshPaymentId").GetGuid()), Does.Not.Contain(paid).And.Not.Contain(waiting));

        using var retry = await _mesh.Writeback.PostAsJsonAsync($"/tenants/{B}/exceptions/{waiting}/retry", new { requestedBy = "mallory" });
        using var dismiss = await _mesh.Writeback.PostAsJsonAsync($"/tenants/{B}/exceptions/{waiting}/dismiss", new { dismissedBy = "mallory", reason = "mine now" });
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), await retry.Content.ReadAsStringAsync());
        Assert.That(dismiss.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), await dismiss.Content.ReadAsStringAsync());
        Assert.That(await dismiss.Content.ReadAsStringAsync(), Does.Contain($"Tenant {B} has no payment"));

        var stillWaiting = await _mesh.PaymentAsync(A, waiting);
        Assert.That(stillWaiting!.Value.GetProperty("state").GetString(), Is.EqualTo("NeedsAttention"));
        Assert.That(PaymentScenarioHarness.Story(stillWaiting.Value), Does.Not.Contain("exception_retry_requested").And.Not.Contain("exception_dismissed"));
    }

    [Test]
    public async Task B_cannot_read_or_change_As_connections_invoices_or_ingest_exceptions_over_HTTP()
    {
        var connectionA = _mesh.QuickBooksConnectionId;
        var connections = await _mesh.InvoiceIngest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{B}/connections", PaymentScenarioHarness.Json);
        Assert.That(connections!.Select(c => c.GetProperty("id").GetGuid()), Is.EqualTo(new[] { _mesh.ConnectWiseConnectionId }));
        Assert.That((await _mesh.InvoiceIngest.GetAsync($"/tenants/{B}/connections/{connectionA}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        foreach (var action in new[] { "pause", "resume", "reconcile", "replay" })
        {
            using var answer = await _mesh.InvoiceIngest.PostAsync($"/tenants/{B}/connections/{connectionA}/{action}", null);
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), action);
        }

        var stateA = await _mesh.InvoiceIngest.GetFromJsonAsync<JsonElement>($"/tenants/{A}/connections/{connectionA}", PaymentScenarioHarness.Json);
        Assert.That(stateA.GetProperty("status").GetString(), Is.EqualTo("Active"), "A's connection was not paused by B");

        Assert.That((await _mesh.InvoiceIngest.GetAsync($"/tenants/{B}/invoices/{_paidInvoiceA.InvoiceId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var invoicesB = await _mesh.InvoiceIngest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{B}/invoices?pageSize=1000", PaymentScenarioHarness.Json);
        Assert.That(invoicesB!.Select(i => i.GetProperty("tenantId").GetString()).Distinct(), Is.EqualTo(new[] { B }));

        // A rejected invoice of A's connection is A's ingest exception, not B's.
        using var scripted = await _mesh.Sandbox.PostAsJsonAsync("/admin/faults/quickbooks/answers", new
        {
            match = "from Invoice", status = 200, contentType = "application/json",
            body = """{"QueryResponse":{"Invoice":[{"Id":"9999","SyncToken":"0","TotalAmt":5,"Balance":5}],"startPosition":1,"maxResults":1}}""",
        });
        scripted.EnsureSuccessStatusCode();
        await Eventually.Until(() => _mesh.InvoiceIngest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{A}/ingest-exceptions"),
            e => e!.Any(x => x.GetProperty("externalInvoiceId").GetString() == "9999"), "A's ingest exception");
        var ofB = await _mesh.InvoiceIngest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{B}/ingest-exceptions");
        Assert.That(ofB!.Select(x => x.GetProperty("connectionId").GetGuid()), Does.Not.Contain(connectionA));
    }

    [Test]
    public async Task An_InvoicesSynced_published_to_move_As_invoice_to_B_is_refused_and_changes_nothing()
    {
        var invoiceA = await _mesh.TakeInvoiceAsync(A);
        var forged = invoiceA with { Revision = 999, TenantId = B, ConnectionId = _mesh.ConnectWiseConnectionId, Integration = IntegrationKind.ConnectWisePsa };
        var sameConnectionOtherTenant = invoiceA with { Revision = 998, TenantId = B };
        await _mesh.PlatformBus.Publish(new InvoicesSynced(forged.TenantId, forged.ConnectionId, [forged]));
        await _mesh.PlatformBus.Publish(new InvoicesSynced(sameConnectionOtherTenant.TenantId, sameConnectionOtherTenant.ConnectionId, [sameConnectionOtherTenant]));

        var refused = await Eventually.Until(() => _mesh.MovedMessagesAsync("writeback.invoice-directory_error"), m => m.Count >= 2,
            "both forgeries in the error queue");
        Assert.That(refused, Has.Count.EqualTo(2));
        Assert.That(refused.Select(m => m.Reason), Has.Some.Contains("is not the id of ConnectWisePsa invoice"), "moved to B's connection");
        Assert.That(refused.Select(m => m.Reason), Has.Some.Contains($"claims tenant {B} and QuickBooksOnline, but connection"), "given to B on A's connection");

        // B's payment of that invoice is still another tenant's; A's own payment of it is booked, once.
        var ofB = CorpusHarness.Payment(B, invoiceA) with { TenantId = B };
        var ofA = CorpusHarness.Payment(A, invoiceA);
        await _mesh.PlatformBus.Publish(ofB);
        await _mesh.PlatformBus.Publish(ofA);
        Assert.That((await _mesh.SettledAsync(B, ofB.PaymentId, "NeedsAttention")).GetProperty("reasonCode").GetString(), Is.EqualTo("invoice-of-another-tenant"));
        await _mesh.SettledAsync(A, ofA.PaymentId, "Applied");
        Assert.That(PaymentScenarioHarness.LivePaymentsFor(await _mesh.QuickBooksBooksAsync(), invoiceA.ExternalId), Has.Count.EqualTo(1));
        Assert.That(ConnectWiseSandbox.PaymentsFor(await ConnectWiseSandbox.BooksAsync(_mesh.Sandbox), invoiceA.ExternalId), Is.Empty,
            "nothing written to B's ConnectWise under A's invoice number");
    }

    /// <summary>The invoice in A's books (balance, live payments) and the length of its stream in InvoiceIngest.</summary>
    private async Task<string> SnapshotAsync(InvoiceSynced invoice)
    {
        var books = await _mesh.QuickBooksBooksAsync();
        var details = await _mesh.InvoiceIngest.GetFromJsonAsync<JsonElement>($"/tenants/{A}/invoices/{invoice.InvoiceId}", PaymentScenarioHarness.Json);
        var builder = new StringBuilder();
        builder.Append(PaymentScenarioHarness.Invoice(books, invoice.ExternalId).GetProperty("balance").GetDecimal())
            .Append(" / ").Append(PaymentScenarioHarness.LivePaymentsFor(books, invoice.ExternalId).Count)
            .Append(" / ").Append(details.GetProperty("history").GetArrayLength());
        return builder.ToString();
    }

    private static int Deposits(JsonElement books) => books.GetProperty("deposits").GetArrayLength();
}
