using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.Payments;
using ReconMesh.PaymentEvents.Payments;
using ReconMesh.PaymentEvents.Webhooks;
using ReconMesh.InvoiceIngest.Webhooks;
using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.IntegrationTests.Corpus;

/// <summary>
/// The bad-input corpus (<c>tests/corpus/*.json</c>) against one running mesh: hostile messages on the platform's
/// queues, hostile requests to the four webhooks, and hostile answers from the integrations' APIs (QuickBooks, ConnectWise,
/// Xero and Autotask; the sandbox's
/// queued answers) to the syncs' reads and to the writes of payments. Each must get its specific answer (an error-queue entry with the reason, an exceptions entry, a
/// problem-details status and detail, an ingest exception or a connection's sync failure); after each, every service
/// is still ready; and valid payments sent before, amid and after the corpus are each booked exactly once.
/// </summary>
[TestFixture]
[Category("Corpus")]
public sealed class When_hostile_input_arrives
{
    public const string BusFile = "platform-bus.json";
    public const string WebhookFile = "webhooks.json";
    public const string IntegrationFile = "integration-answers.json";
    public const string WritebackFile = "writeback-answers.json";

    private CorpusHarness _mesh = null!;
    private readonly List<(string Tenant, PaymentProcessed Payment, InvoiceSynced Invoice)> _valid = [];
    private InvoiceSynced _reservedA = null!;
    private InvoiceSynced _reservedB = null!;
    private InvoiceSynced _reservedX = null!;
    private readonly Dictionary<string, string> _values = [];

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await CorpusHarness.StartAsync();
        _reservedA = await _mesh.TakeInvoiceAsync(_mesh.TenantA);
        _reservedB = await _mesh.TakeInvoiceAsync(_mesh.TenantB);
        _reservedX = await _mesh.TakeInvoiceAsync(_mesh.TenantX);

        // Before the corpus: a valid payment for each tenant, booked; later the corpus refunds it wrongly and names it.
        foreach (var tenant in new[] { _mesh.TenantA, _mesh.TenantB, _mesh.TenantX })
        {
            var invoice = await _mesh.TakeInvoiceAsync(tenant);
            var payment = CorpusHarness.Payment(tenant, invoice);
            await _mesh.PlatformBus.Publish(payment);
            _valid.Add((tenant, payment, invoice));
        }

        foreach (var (tenant, payment, _) in _valid)
        {
            await _mesh.SettledAsync(tenant, payment.PaymentId, "Applied");
        }

        var known = _valid[0].Payment;
        _values["tenantA"] = _mesh.TenantA;
        _values["tenantB"] = _mesh.TenantB;
        _values["invoiceA"] = _reservedA.InvoiceId.ToString();
        _values["invoiceB"] = _reservedB.InvoiceId.ToString();
        _values["tenantX"] = _mesh.TenantX;
        _values["invoiceX"] = _reservedX.InvoiceId.ToString();
        _values["xeroTenant"] = _mesh.Xero.TenantId.ToString();
        _values["xeroInvoice"] = _reservedX.ExternalId;
        _values["knownPaymentA"] = known.PaymentId;
        _values["knownAmountA"] = known.Amount.ToString(CultureInfo.InvariantCulture);
        _values["cwCompany"] = ConnectWiseSandbox.CompanyId;
        _values["cwApi"] = new Uri(_mesh.Mesh.SandboxHost.Address(), "/v4_6_release/apis/3.0").ToString();
        _values["qboRealm"] = CorpusHarness.Realm;
    }

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test, Order(0)]
    public void The_corpus_has_at_least_fifty_hostile_inputs() =>
        Assert.That(CorpusCases.Count(BusFile, WebhookFile, IntegrationFile, WritebackFile), Is.GreaterThanOrEqualTo(50));

    private static IEnumerable<TestCaseData> BusCases() => CorpusCases.From(BusFile);

    private static IEnumerable<TestCaseData> WebhookCases() => CorpusCases.From(WebhookFile);

    private static IEnumerable<TestCaseData> IntegrationCases() => CorpusCases.From(IntegrationFile);

    private static IEnumerable<TestCaseData> WritebackCases() => CorpusCases.From(WritebackFile);

    [TestCaseSource(nameof(BusCases)), Order(1)]
    public async Task A_hostile_message_on_the_bus_gets_its_answer(CorpusCase input)
    {
        var values = Values();
        var messageId = values["messageId"];
        var queue = input.Text("queue")!;
        var body = input.Body(values);
        if (input.Text("envelope") is { } urn)
        {
            body = $$"""{"messageId":"{{messageId}}","messageType":["{{urn}}"],"message":{{body}}}""";
        }

        var contentType = input.Has("contentType") ? input.Text("contentType")
            : queue == PlatformJsonConsumer.QueueName ? "application/json" : "application/vnd.masstransit+json";
        var headers = input.Text("typeHeader") is { } type ? new Dictionary<string, object?> { [PlatformJsonConsumer.TypeHeader] = Encoding.UTF8.GetBytes(type) } : null;
        var (exchange, routingKey) = queue == PlatformJsonConsumer.QueueName ? (PlatformJsonConsumer.ExchangeName, "") : ("", queue);

        await _mesh.PublishRawAsync(exchange, routingKey, Encoding.UTF8.GetBytes(body), contentType, messageId, headers);

        if (input.Expected("errorQueue") is { } reason)
        {
            var moved = await _mesh.MovedMessageAsync(queue + "_error", messageId, $"{input.Name} in {queue}_error");
            Assert.That(moved.Reason, Does.Contain(reason).IgnoreCase, "the reason in the error queue");
        }

        if (input.Expected("skipped") is not null)
        {
            await _mesh.MovedMessageAsync(queue + "_skipped", messageId, $"{input.Name} in {queue}_skipped");
        }

        if (input.Expected("rejected") is { } rejectedReason)
        {
            var rejected = await _mesh.RejectedAsync(Guid.Parse(messageId));
            Assert.That(string.Join("; ", rejected.Reasons), Does.Contain(rejectedReason).IgnoreCase, "the exceptions entry's reason");
        }

        if (input.Expected("attention") is { } code)
        {
            var tenant = values[input.Expect.GetProperty("tenant").GetString()!];
            var settled = await _mesh.SettledAsync(tenant, values["paymentId"], "NeedsAttention");
            Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo(code), settled.ToString());
        }

        await _mesh.AssertAllReadyAsync();
    }

    [TestCaseSource(nameof(WebhookCases)), Order(2)]
    public async Task A_hostile_request_to_a_webhook_gets_a_problem_with_the_reason(CorpusCase input)
    {
        var values = Values();
        var body = Encoding.UTF8.GetBytes(input.Body(values));
        var target = input.Text("target")!;
        var (client, path) = target switch
        {
            "platform" => (_mesh.PaymentEvents, PlatformWebhook.Path),
            "quickbooks" => (_mesh.InvoiceIngestWebhooks, "/webhooks/quickbooks"),
            "connectwise" => (_mesh.InvoiceIngestWebhooks, $"/webhooks/connectwise/{_mesh.ConnectWiseConnectionId}"),
            "connectwise-unknown" => (_mesh.InvoiceIngestWebhooks, $"/webhooks/connectwise/{Guid.NewGuid()}"),
            "connectwise-of-quickbooks" => (_mesh.InvoiceIngestWebhooks, $"/webhooks/connectwise/{_mesh.QuickBooksConnectionId}"),
            "xero" => (_mesh.InvoiceIngestWebhooks, XeroWebhook.Path),
            _ => throw new ArgumentException($"unknown target {target}"),
        };
        var signature = Signature(target, input.Text("signature") ?? "valid", body);
        var contentType = input.Has("contentType") ? input.Text("contentType") : "application/json";

        using var first = await SendAsync(client, path, body, contentType, signature);
        using var answer = input.Has("sendTwice") ? await SendAsync(client, path, body, contentType, signature) : null;
        var response = answer ?? first;
        var text = await response.Content.ReadAsStringAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(int.Parse(input.Expected("status")!, CultureInfo.InvariantCulture)), text);
        if (input.Expected("detail") is { } detail)
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
            Assert.That(text, Does.Contain(detail).IgnoreCase);
        }

        if (input.Expected("answer") is { } status)
        {
            Assert.That(JsonDocument.Parse(text).RootElement.GetProperty("status").GetString(), Is.EqualTo(status), text);
        }

        await _mesh.AssertAllReadyAsync();
    }

    [TestCaseSource(nameof(IntegrationCases)), Order(3)]
    public async Task A_hostile_answer_from_an_integration_gets_a_reason_and_the_sync_goes_on(CorpusCase input)
    {
        var values = Values();
        var simulator = input.Text("simulator")!;
        var (tenant, connection) = simulator switch
        {
            "quickbooks" => (_mesh.TenantA, _mesh.QuickBooksConnectionId),
            "xero" => (_mesh.TenantX, _mesh.XeroConnectionId),
            "autotask" => (_mesh.TenantT, _mesh.AutotaskConnectionId),
            _ => (_mesh.TenantB, _mesh.ConnectWiseConnectionId),
        };
        var before = await ConnectionAsync(tenant, connection);
        var failedBefore = before.TryGetProperty("lastSyncFailedAt", out var at) && at.ValueKind == JsonValueKind.String ? at.GetDateTimeOffset() : DateTimeOffset.MinValue;

        await QueueAnswerAsync(input, values);

        if (input.Expect.TryGetProperty("ingestException", out var exception))
        {
            var invoice = exception.GetProperty("invoice").GetString()!;
            var entry = await Eventually.Until(async () =>
                    (await _mesh.InvoiceIngest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{tenant}/ingest-exceptions"))!
                    .FirstOrDefault(e => e.GetProperty("externalInvoiceId").GetString()?.StartsWith(invoice, StringComparison.Ordinal) == true),
                e => e.ValueKind == JsonValueKind.Object, $"an ingest exception for invoice {invoice}");
            Assert.That(entry.GetProperty("connectionId").GetGuid(), Is.EqualTo(connection));
            Assert.That(entry.GetProperty("reason").GetString(), Does.Contain(exception.GetProperty("reason").GetString()!).IgnoreCase, entry.ToString());
        }

        if (input.Expected("syncFailure") is { } failure)
        {
            var seen = await Eventually.Until(() => ConnectionAsync(tenant, connection),
                c => c.TryGetProperty("lastSyncFailedAt", out var t) && t.ValueKind == JsonValueKind.String && t.GetDateTimeOffset() > failedBefore,
                "the sync's failure to be shown on the connection");
            Assert.That(seen.GetProperty("lastSyncFailure").GetString(), Does.Contain(failure).IgnoreCase, seen.ToString());
        }

        // The answer is used up and the connection syncs again: nothing is stuck behind it.
        await Eventually.Until(async () => (await _mesh.Sandbox.GetFromJsonAsync<List<JsonElement>>($"/admin/faults/{simulator}/answers"))!.Count,
            n => n == 0, "the queued answers to be used up");
        var syncedAfter = DateTimeOffset.UtcNow;
        await Eventually.Until(() => ConnectionAsync(tenant, connection),
            c => c.GetProperty("failedSyncsInARow").GetInt32() == 0 && c.GetProperty("lastSyncAt").GetDateTimeOffset() > syncedAfter,
            "a sync that succeeds after the hostile answer");
        await _mesh.AssertAllReadyAsync();
    }

    [TestCaseSource(nameof(WritebackCases)), Order(4)]
    public async Task A_hostile_answer_to_a_write_gets_a_reason_and_nothing_is_booked_twice(CorpusCase input)
    {
        // A payment of tenant X for an invoice of its own, the answer queued for the write's requests first.
        var invoice = await _mesh.TakeInvoiceAsync(_mesh.TenantX);
        var values = Values();
        values["xeroInvoice"] = invoice.ExternalId;
        await QueueAnswerAsync(input, values);
        var payment = CorpusHarness.Payment(_mesh.TenantX, invoice);
        await _mesh.PlatformBus.Publish(payment);

        var expected = input.Expected("state")!;
        var settled = await _mesh.SettledAsync(_mesh.TenantX, payment.PaymentId);
        Assert.That(settled.GetProperty("state").GetString(), Is.EqualTo(expected), settled.ToString());
        if (input.Expected("reasonCode") is { } code)
        {
            Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo(code), settled.ToString());
        }

        if (input.Expected("reason") is { } reason)
        {
            Assert.That(settled.GetProperty("reason").GetString(), Does.Contain(reason).IgnoreCase, settled.ToString());
        }

        await Eventually.Until(async () => (await _mesh.Sandbox.GetFromJsonAsync<List<JsonElement>>("/admin/faults/xero/answers"))!.Count,
            n => n == 0, "the queued answers to be used up");
        var booked = XeroSandbox.PaymentsFor(await _mesh.XeroBooksAsync(), invoice.ExternalId);
        Assert.That(booked, Has.Count.EqualTo(expected == "Applied" ? 1 : 0), $"{expected}: the payments booked to invoice {invoice.Number}");
        await _mesh.AssertAllReadyAsync();
    }

    [Test, Order(5)]
    public async Task Nothing_valid_in_flight_is_lost_or_booked_twice()
    {
        // After the corpus, through every door: the bus, the plain-JSON queue and the webhook, for both tenants.
        var afterBus = (_mesh.TenantA, CorpusHarness.Payment(_mesh.TenantA, await _mesh.TakeInvoiceAsync(_mesh.TenantA)));
        await _mesh.PlatformBus.Publish(afterBus.Item2);
        var afterJson = (_mesh.TenantB, CorpusHarness.Payment(_mesh.TenantB, await _mesh.TakeInvoiceAsync(_mesh.TenantB)));
        var json = JsonSerializer.SerializeToUtf8Bytes(new { type = "payment.processed", id = "evt_after", data = afterJson.Item2 }, PaymentScenarioHarness.Json);
        await _mesh.PublishRawAsync(PlatformJsonConsumer.ExchangeName, "", json, "application/json", Guid.NewGuid().ToString());
        var afterXero = (_mesh.TenantX, CorpusHarness.Payment(_mesh.TenantX, await _mesh.TakeInvoiceAsync(_mesh.TenantX)));
        await _mesh.PlatformBus.Publish(afterXero.Item2);
        var afterWebhook = (_mesh.TenantA, CorpusHarness.Payment(_mesh.TenantA, await _mesh.TakeInvoiceAsync(_mesh.TenantA)));
        var hook = JsonSerializer.SerializeToUtf8Bytes(new { type = "payment.processed", id = "evt_hook", data = afterWebhook.Item2 }, PaymentScenarioHarness.Json);
        using var accepted = await SendAsync(_mesh.PaymentEvents, PlatformWebhook.Path, hook, "application/json", Signature("platform", "valid", hook));
        Assert.That(accepted.IsSuccessStatusCode, Is.True, await accepted.Content.ReadAsStringAsync());

        foreach (var (tenant, payment) in new[] { afterBus, afterJson, afterWebhook, afterXero }.Concat(_valid.Select(v => (v.Tenant, v.Payment))))
        {
            await _mesh.SettledAsync(tenant, payment.PaymentId, "Applied");
        }

        var qbo = await _mesh.QuickBooksBooksAsync();
        var cw = await ConnectWiseSandbox.BooksAsync(_mesh.Sandbox);
        var xero = await _mesh.XeroBooksAsync();
        foreach (var (tenant, payment) in new[] { afterBus, afterJson, afterWebhook, afterXero }.Concat(_valid.Select(v => (v.Tenant, v.Payment))))
        {
            var externalId = (await _mesh.InvoicesAsync(tenant)).Single(i => i.InvoiceId == payment.Allocations[0].InvoiceId).ExternalId;
            var booked = tenant == _mesh.TenantA ? PaymentScenarioHarness.LivePaymentsFor(qbo, externalId)
                : tenant == _mesh.TenantX ? XeroSandbox.PaymentsFor(xero, externalId)
                : ConnectWiseSandbox.PaymentsFor(cw, externalId);
            Assert.That(booked, Has.Count.EqualTo(1), $"payment {payment.PaymentId} of {tenant} is booked exactly once");
        }

        // The invoices the hostile inputs named were never touched.
        Assert.That(PaymentScenarioHarness.LivePaymentsFor(qbo, _reservedA.ExternalId), Is.Empty);
        Assert.That(ConnectWiseSandbox.PaymentsFor(cw, _reservedB.ExternalId), Is.Empty);
        Assert.That(XeroSandbox.PaymentsFor(xero, _reservedX.ExternalId), Is.Empty);
        await _mesh.AssertAllReadyAsync();
    }

    /// <summary>
    /// Tenant T (Autotask, sync in only) lost nothing to the corpus's answers and took in nothing they refused: it holds
    /// exactly the database's open invoices, each once.
    /// </summary>
    [Test, Order(6)]
    public async Task The_Autotask_tenant_holds_exactly_its_open_invoices()
    {
        var held = (await _mesh.InvoiceIngest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{_mesh.TenantT}/invoices?pageSize=1000"))!
            .Select(i => i.GetProperty("externalId").GetString()).ToList();
        Assert.That(held, Is.Unique);
        Assert.That(held, Is.EquivalentTo(_mesh.AutotaskOpenInvoices));
        Assert.That((await _mesh.InvoicesAsync(_mesh.TenantT)).Where(i => i.Balance > 0).Select(i => i.ExternalId), Is.EquivalentTo(_mesh.AutotaskOpenInvoices));
        await _mesh.AssertAllReadyAsync();
    }

    private Dictionary<string, string> Values() => new(_values)
    {
        ["messageId"] = Guid.NewGuid().ToString(),
        ["paymentId"] = $"pay_{Guid.NewGuid():N}",
        ["unknownInvoice"] = Guid.NewGuid().ToString(),
        ["unknownTenant"] = $"tenant-nobody-{Guid.NewGuid():N}",
        ["now"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
    };

    /// <summary>Queues the case's answer in its simulator (<c>POST /admin/faults/{simulator}/answers</c>).</summary>
    private async Task QueueAnswerAsync(CorpusCase input, IReadOnlyDictionary<string, string> values)
    {
        using var scripted = await _mesh.Sandbox.PostAsJsonAsync($"/admin/faults/{input.Text("simulator")}/answers", new
        {
            match = input.Text("match"),
            status = input.Number("status") ?? 200,
            contentType = input.Has("contentType") ? input.Text("contentType") : "application/json",
            body = input.Body(values),
            times = input.Number("times") ?? 1,
            headers = input.Has("headers") ? input.Data.GetProperty("headers").Deserialize<Dictionary<string, string>>() : null,
        });
        Assert.That((int)scripted.StatusCode, Is.EqualTo(201), await scripted.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> ConnectionAsync(string tenant, Guid connection) =>
        await _mesh.InvoiceIngest.GetFromJsonAsync<JsonElement>($"/tenants/{tenant}/connections/{connection}", PaymentScenarioHarness.Json);

    /// <summary>The signature header a case asks for: valid, or one of the ways a signature is wrong.</summary>
    private static (string Header, string? Value) Signature(string target, string kind, byte[] body)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (target == "platform")
        {
            string Platform(long t, string secret, byte[] signed) =>
                $"t={t.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(PlatformWebhook.Sign(signed, t, secret))}";
            return (PlatformWebhook.SignatureHeader, kind switch
            {
                "valid" => Platform(now, CorpusHarness.WebhookSecret, body),
                "forged" => Platform(now, "a-guessed-secret", body),
                "stale" => Platform(now - 3600, CorpusHarness.WebhookSecret, body),
                "future" => Platform(now + 3600, CorpusHarness.WebhookSecret, body),
                "other-body" => Platform(now, CorpusHarness.WebhookSecret, body.Append((byte)' ').ToArray()),
                "garbled" => "t=yesterday,v1=not-hex",
                "v0-only" => $"t={now},v0={Convert.ToHexStringLower(PlatformWebhook.Sign(body, now, CorpusHarness.WebhookSecret))}",
                "missing" => null,
                _ => throw new ArgumentException(kind),
            });
        }

        // ConnectWise's key is fetched by id, and the corpus's callbacks never get that far: any key will do for both.
        var (header, key, forged) = target switch
        {
            "quickbooks" => ("intuit-signature", Encoding.UTF8.GetBytes(CorpusHarness.VerifierToken), "a-guessed-token"u8.ToArray()),
            "xero" => (XeroWebhook.SignatureHeader, Encoding.UTF8.GetBytes(CorpusHarness.XeroWebhookKey), Encoding.UTF8.GetBytes(CorpusHarness.XeroWebhookKey + "-wrong")),
            _ => ("x-content-signature", SHA256.HashData("a-guessed-key"u8), SHA256.HashData("a-guessed-key"u8)),
        };
        return (header, kind switch
        {
            "valid" => Convert.ToBase64String(HMACSHA256.HashData(key, body)),
            "forged" => Convert.ToBase64String(HMACSHA256.HashData(forged, body)),
            "other-body" => Convert.ToBase64String(HMACSHA256.HashData(key, body.Append((byte)' ').ToArray())),
            "garbled" => "%%% not base64 %%%",
            "missing" => null,
            _ => throw new ArgumentException(kind),
        });
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string path, byte[] body, string? contentType, (string Header, string? Value) signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        if (signature.Value is not null)
        {
            request.Headers.TryAddWithoutValidation(signature.Header, signature.Value);
        }

        return await client.SendAsync(request);
    }
}
