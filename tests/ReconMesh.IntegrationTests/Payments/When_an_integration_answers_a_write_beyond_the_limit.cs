using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.Integrations.Http;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// An answer to a write-back beyond <c>ReconMesh:Integrations:MaxAnswerBytes</c> (64 KiB here, so a page of the
/// seeded company still fits): the write fails with the reason every time it is tried, and the payment waits in the
/// exceptions queue with it, where write-back failures are recorded; WritebackService keeps running.
/// </summary>
[TestFixture]
public sealed class When_an_integration_answers_a_write_beyond_the_limit
{
    private const string Realm = "9130000000000888";
    private const string Token = "oversized-answer-token";
    private readonly string _tenant = $"tenant-{Guid.NewGuid():N}";
    private Mesh _mesh = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _mesh = await Mesh.StartSandboxAsync();
        (await _mesh.Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = Token })).EnsureSuccessStatusCode();
        (await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed", new { customers = 2, invoices = 3, currency = "USD", seed = 5 }))
            .EnsureSuccessStatusCode();
        var settings = _mesh.QuickBooksConnection(Guid.NewGuid(), _tenant, Realm, Token, "00:00:00.500");
        settings[IntegrationAddressPolicy.MaxAnswerBytesKey] = "65536";
        await _mesh.StartServicesAsync(settings);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task The_payment_needs_attention_with_the_reason_and_the_service_keeps_running()
    {
        var invoices = await Eventually.Until(
            async () => (await _mesh.Sandbox.GetFromJsonAsync<List<Contracts.Invoices.InvoiceSynced>>($"/platform/invoices?tenantId={_tenant}",
                PaymentScenarioHarness.Json))!,
            i => i.Any(x => x.Balance > 0), "the platform to hear of the open invoices");
        // Every attempt to create the payment (the first and each retry) is answered with 100 KB.
        using (var scripted = await _mesh.Sandbox.PostAsJsonAsync("/admin/faults/quickbooks/answers", new
        {
            match = $"POST /v3/company/{Realm}/payment", status = 200, contentType = "application/json",
            body = "{\"Payment\": {\"Id\": \"1\", \"pad\": \"" + new string('x', 100_000) + "\"}}", times = 20,
        }))
        {
            Assert.That((int)scripted.StatusCode, Is.EqualTo(201), await scripted.Content.ReadAsStringAsync());
        }

        var invoice = invoices.First(i => i.Balance > 0);
        var payment = new PaymentProcessed($"pay_{Guid.NewGuid():N}", _tenant, PaymentMethod.Ach, "USD", invoice.Balance, 0.80m,
            [new PaymentAllocation(invoice.InvoiceId, invoice.Balance)], DateTimeOffset.UtcNow);
        await _mesh.PlatformBus.Publish(payment);

        using var writeback = TestAuth.Operator(_mesh.Writeback.Address(), _tenant);
        var exception = await Eventually.Until(
            async () => (await writeback.GetFromJsonAsync<List<JsonElement>>($"/tenants/{_tenant}/exceptions", PaymentScenarioHarness.Json))!,
            e => e.Count > 0, "the payment to wait in the exceptions queue");

        Assert.That(exception[0].GetRawText(), Does.Contain("more than the 65,536 bytes an answer may have"), exception[0].ToString());
        Assert.That(exception[0].GetRawText(), Does.Not.Contain("xxxxxxxxxx"), "the answer is not repeated");
        using var ready = await new HttpClient { BaseAddress = _mesh.Writeback.Address() }.GetAsync(ServiceDefaultsExtensions.ReadyPath);
        Assert.That(ready.IsSuccessStatusCode, Is.True);
    }
}
