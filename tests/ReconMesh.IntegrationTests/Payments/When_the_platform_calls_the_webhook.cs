using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.PaymentEvents.Webhooks;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// The platform's signed webhook, over real HTTP: a valid event is accepted once and written back; a replay is a
/// duplicate that changes nothing; forged, stale or unsigned requests get 401; invalid events get 422 with the
/// reasons; malformed bodies get 400 and oversized ones 413; none of it disturbs a valid payment.
/// </summary>
[TestFixture]
public sealed class When_the_platform_calls_the_webhook
{
    private PaymentScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await PaymentScenarioHarness.StartAsync(invoices: 8);

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task A_signed_payment_is_accepted_once_and_a_replay_changes_nothing()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var body = Event("payment.processed", Payment(invoice.InvoiceId, invoice.Total));
        var signature = Sign(body, DateTimeOffset.UtcNow);

        using var first = await SendAsync(body, signature);
        using var replay = await SendAsync(body, signature);
        var firstAnswer = await first.Content.ReadFromJsonAsync<JsonElement>();
        var replayAnswer = await replay.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(firstAnswer.GetProperty("status").GetString(), Is.EqualTo("accepted"));
        Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(replayAnswer.GetProperty("status").GetString(), Is.EqualTo("duplicate"));
        var meshId = firstAnswer.GetProperty("meshPaymentId").GetGuid();
        await Eventually.Until(() => _mesh.PaymentAsync(meshId), p => p?.GetProperty("state").GetString() == "Applied", "the payment to be applied");
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_platform_simulator_delivers_by_signed_webhook_too()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var target = new Uri(_mesh.PaymentEvents.BaseAddress!, PlatformWebhook.Path);
        (await _mesh.Sandbox.PutAsJsonAsync("/admin/platform/webhook", new { url = target, secret = WebhookSecret })).EnsureSuccessStatusCode();

        using var sent = await _mesh.Sandbox.PostAsJsonAsync("/platform/payments", new
        {
            tenantId = _mesh.Tenant, method = "Card", delivery = "webhook",
            allocations = new[] { new { invoiceId = invoice.InvoiceId, amount = invoice.Total } },
        }, Json);
        var answer = await sent.Content.ReadFromJsonAsync<JsonElement>(Json);

        Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
        Assert.That(answer.GetProperty("webhook").GetProperty("status").GetInt32(), Is.EqualTo(200), answer.ToString());
        var paymentId = answer.GetProperty("payment").GetProperty("paymentId").GetString()!;
        var meshId = ReconMesh.EventSourcing.Identity.MeshIds.Payment(_mesh.Tenant, paymentId);
        await Eventually.Until(() => _mesh.PaymentAsync(meshId), p => p?.GetProperty("state").GetString() == "Applied", "the payment to be applied");
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task No_credential_or_secret_appears_in_logs_or_traces()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var body = Event("payment.processed", Payment(invoice.InvoiceId, invoice.Total));
        using var accepted = await SendAsync(body, Sign(body, DateTimeOffset.UtcNow));
        using var forged = await SendAsync(body, "t=1,v1=00");
        var meshId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("meshPaymentId").GetGuid();
        await Eventually.Until(() => _mesh.PaymentAsync(meshId), p => p?.GetProperty("state").GetString() == "Applied", "the payment to be applied");

        var secrets = new[] { Token, WebhookSecret, _mesh.DatabasePassword }.Where(s => s.Length >= 6).ToList();
        var logs = _mesh.Logs.ToList();
        var tags = _mesh.Spans.SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName)).ToList();

        Assert.That(logs, Has.Count.GreaterThan(100), "the hosts must actually have logged");
        Assert.That(secrets, Has.Count.EqualTo(3));
        foreach (var secret in secrets)
        {
            Assert.That(logs.Where(l => l.Contains(secret, StringComparison.Ordinal)), Is.Empty, "a secret was logged");
            Assert.That(tags.Where(t => t.Contains(secret, StringComparison.Ordinal)), Is.Empty, "a secret was traced");
        }
    }

    [TestCase("forged")]
    [TestCase("stale")]
    [TestCase("unsigned")]
    [TestCase("garbled")]
    public async Task A_request_without_a_valid_fresh_signature_gets_401(string kind)
    {
        var body = Event("payment.processed", Payment(Guid.NewGuid(), 10.00m));
        var signature = kind switch
        {
            "forged" => $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()},v1={Convert.ToHexString(PlatformWebhook.Sign(body, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "guessed"))}",
            "stale" => Sign(body, DateTimeOffset.UtcNow.AddHours(-1)),
            "garbled" => "t=abc,v1=zz",
            _ => null,
        };

        using var response = await SendAsync(body, signature);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(problem.GetProperty("detail").GetString(), Is.Not.Empty);
    }

    private static IEnumerable<TestCaseData> InvalidPayments()
    {
        var invoice = Guid.NewGuid();
        yield return new TestCaseData(Payment(invoice, -5m, "webhook-tenant"), "greater than").SetName("negative amount");
        yield return new TestCaseData(Payment(invoice, 0m), "greater than").SetName("zero amount");
        yield return new TestCaseData(Payment(invoice, 10m) with { Amount = 12m }, "add up").SetName("allocations that do not add up");
        yield return new TestCaseData(Payment(invoice, 10m) with { Currency = "XYZ" }, "currency").SetName("unknown currency");
        yield return new TestCaseData(Payment(invoice, 10m) with { TenantId = "" }, "Tenant").SetName("no tenant");
    }

    [TestCaseSource(nameof(InvalidPayments))]
    public async Task An_invalid_payment_gets_422_with_the_reason(PaymentProcessed payment, string reasonMentions)
    {
        var body = Event("payment.processed", payment);

        using var response = await SendAsync(body, Sign(body, DateTimeOffset.UtcNow));
        var problem = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(problem, Does.Contain(reasonMentions).IgnoreCase);
    }

    [TestCase("{not json", HttpStatusCode.BadRequest)]
    [TestCase("""{"type":"payment.exploded","id":"e","data":{}}""", HttpStatusCode.BadRequest)]
    [TestCase("""{"type":"payment.processed","id":"e","data":{"paymentId":"p","surprise":1}}""", HttpStatusCode.BadRequest)]
    public async Task A_malformed_body_gets_400(string text, HttpStatusCode expected)
    {
        var body = Encoding.UTF8.GetBytes(text);

        using var response = await SendAsync(body, Sign(body, DateTimeOffset.UtcNow));

        Assert.That(response.StatusCode, Is.EqualTo(expected));
    }

    [Test]
    public async Task An_oversized_body_gets_413()
    {
        var body = Encoding.UTF8.GetBytes("{\"type\":\"payment.processed\",\"pad\":\"" + new string('x', PlatformWebhook.MaxBodyBytes) + "\"}");

        using var response = await SendAsync(body, Sign(body, DateTimeOffset.UtcNow));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task A_payment_in_another_currency_than_its_invoice_needs_attention_and_nothing_is_written()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var body = Event("payment.processed", Payment(invoice.InvoiceId, invoice.Total) with { Currency = "EUR" });

        using var response = await SendAsync(body, Sign(body, DateTimeOffset.UtcNow));
        var meshId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("meshPaymentId").GetGuid();
        var settled = await Eventually.Until(() => _mesh.PaymentAsync(meshId), p => p?.GetProperty("state").GetString() == "NeedsAttention",
            "the payment to need attention");

        Assert.That(settled!.Value.GetProperty("reasonCode").GetString(), Is.EqualTo("currency-mismatch"));
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), invoice.ExternalId), Is.Empty);
    }

    [Test]
    public async Task A_refund_is_whole_once_and_a_second_reversal_of_the_same_payment_is_refused_with_the_reason()
    {
        var invoice = await _mesh.TakeInvoiceAsync();
        var payment = Payment(invoice.InvoiceId, invoice.Total);
        var paid = Event("payment.processed", payment);
        using var accepted = await SendAsync(paid, Sign(paid, DateTimeOffset.UtcNow));
        await _mesh.SettledAsync(payment, "Applied");

        var refund = new PaymentRefunded(payment.PaymentId, _mesh.Tenant, "re_1", "USD", payment.Amount, "Customer cancelled", DateTimeOffset.UtcNow);
        var partial = Event("payment.refunded", refund with { RefundId = "re_0", Amount = payment.Amount - 1.00m });
        var whole = Event("payment.refunded", refund);
        var chargeback = Event("payment.charged_back",
            new PaymentChargedBack(payment.PaymentId, _mesh.Tenant, "dp_1", "USD", payment.Amount, "10.4", "Fraud", DateTimeOffset.UtcNow));
        using var partialAnswer = await SendAsync(partial, Sign(partial, DateTimeOffset.UtcNow));
        using var wholeAnswer = await SendAsync(whole, Sign(whole, DateTimeOffset.UtcNow));
        using var again = await SendAsync(whole, Sign(whole, DateTimeOffset.UtcNow));
        using var chargebackAnswer = await SendAsync(chargeback, Sign(chargeback, DateTimeOffset.UtcNow));
        var settled = await _mesh.SettledAsync(payment, "Reversed");

        Assert.That(partialAnswer.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await partialAnswer.Content.ReadAsStringAsync(), Does.Contain("whole payment"));
        Assert.That((await wholeAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString(), Is.EqualTo("accepted"));
        Assert.That((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString(), Is.EqualTo("duplicate"));
        Assert.That(chargebackAnswer.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await chargebackAnswer.Content.ReadAsStringAsync(), Does.Contain("already refunded (re_1)"));
        var books = await _mesh.BooksAsync();
        Assert.That(Invoice(books, invoice.ExternalId).GetProperty("balance").GetDecimal(), Is.EqualTo(invoice.Total));
        Assert.That(LivePaymentsFor(books, invoice.ExternalId), Is.Empty);
        Assert.That(Story(settled), Is.EqualTo(new[] { "payment_written_back", "payment_reversed_in_integration" }));
    }

    private PaymentProcessed Payment(Guid invoiceId, decimal amount) => Payment(invoiceId, amount, _mesh.Tenant);

    private static PaymentProcessed Payment(Guid invoiceId, decimal amount, string tenant = "webhook-tenant") =>
        new($"pay_{Guid.NewGuid():N}", tenant, PaymentMethod.Card, "USD", amount, 0.59m, [new PaymentAllocation(invoiceId, amount)],
            DateTimeOffset.UtcNow);

    private static byte[] Event<T>(string type, T data) =>
        JsonSerializer.SerializeToUtf8Bytes(new { type, id = $"evt_{Guid.NewGuid():N}", data }, Json);

    private static string Sign(byte[] body, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds();
        return $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(PlatformWebhook.Sign(body, timestamp, WebhookSecret))}";
    }

    private async Task<HttpResponseMessage> SendAsync(byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, PlatformWebhook.Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(PlatformWebhook.SignatureHeader, signature);
        }

        return await _mesh.PaymentEvents.SendAsync(request);
    }
}
