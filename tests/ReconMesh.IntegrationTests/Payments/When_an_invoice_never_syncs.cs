using System.Net;
using System.Net.Http.Json;
using ReconMesh.IntegrationTests.Infrastructure;
using static ReconMesh.IntegrationTests.Payments.PaymentScenarioHarness;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// A payment that names an invoice the mesh never syncs waits no longer than the connection's configured time, then
/// lands in the exceptions queue with its reason; a person's retry waits again, as long again.
/// </summary>
[TestFixture]
public sealed class When_an_invoice_never_syncs
{
    private PaymentScenarioHarness _mesh = null!;

    [OneTimeSetUp]
    public async Task Start() => _mesh = await PaymentScenarioHarness.StartAsync(invoices: 2,
        writebackSettings: new Dictionary<string, string?> { ["ReconMesh:Writeback:InvoiceWait:Timeout"] = "00:00:01" });

    [OneTimeTearDown]
    public async Task Stop() => await _mesh.DisposeAsync();

    [Test]
    public async Task The_payment_needs_attention_after_the_wait_and_a_retry_waits_again()
    {
        var payment = await _mesh.PayAsync((_mesh.InvoiceIdFor($"never-{Guid.NewGuid():N}"), 75.00m));

        var settled = await _mesh.SettledAsync(payment, "NeedsAttention");
        using var retry = await _mesh.Writeback.PostAsJsonAsync($"/tenants/{_mesh.Tenant}/exceptions/{_mesh.MeshId(payment)}/retry",
            new { requestedBy = "accountant" });
        var again = await Eventually.Until(() => _mesh.PaymentAsync(_mesh.MeshId(payment)),
            p => p is { } x && Story(x).Count(e => e == "writeback_needs_attention") == 2 && x.GetProperty("state").GetString() == "NeedsAttention",
            "the retry to wait again and need attention again");

        Assert.That(settled.GetProperty("reasonCode").GetString(), Is.EqualTo("invoice-not-synced"));
        Assert.That(Story(settled), Is.EqualTo(new[] { "writeback_awaiting_invoices", "writeback_needs_attention" }));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(Story(again!.Value), Is.EqualTo(new[]
        {
            "writeback_awaiting_invoices", "writeback_needs_attention", "exception_retry_requested", "writeback_awaiting_invoices", "writeback_needs_attention",
        }));
        Assert.That(LivePaymentsFor(await _mesh.BooksAsync(), "never"), Is.Empty);
    }
}
