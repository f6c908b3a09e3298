using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.IntegrationTests.Infrastructure;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// A payment names an invoice created in QuickBooks after InvoiceIngest's last read, on a connection polled once an hour
/// and without webhooks. The payment waits for it and asks InvoiceIngest for it (<c>InvoicesAwaited</c>); InvoiceIngest
/// does not hold it, so it wakes the tenant's sync, which finds it at once: the payment is written back without anyone,
/// long before the next poll.
/// </summary>
[TestFixture]
public sealed class When_the_platform_hears_of_an_invoice_before_the_mesh
{
    private PaymentScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await PaymentScenarioHarness.StartAsync(invoices: 1,
        invoiceIngestSettings: new Dictionary<string, string?> { ["ReconMesh:Connections:0:PollInterval"] = "01:00:00" });

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task The_waiting_payment_wakes_the_sync_and_is_written_back()
    {
        using var seeded = await _mesh.Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/seed",
            new { customers = 1, invoices = 1, currency = "USD", seed = 23 });
        seeded.EnsureSuccessStatusCode();
        var externalId = (await seeded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invoices")[0].GetString()!;

        var payment = await _mesh.PayAsync((_mesh.InvoiceIdFor(externalId), 10.00m));
        var applied = await _mesh.SettledAsync(payment, "Applied");

        Assert.That(Story(applied), Is.EqualTo(new[] { "writeback_awaiting_invoices", "payment_written_back" }));
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), externalId), Has.Count.EqualTo(1));
    }
}
