using System.Globalization;
using Microsoft.AspNetCore.Builder;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.IntegrationTests.Operations;

/// <summary>
/// After a payment is written back, Prometheus' scrape of PaymentEvents and of WritebackService shows it in the
/// ReconMesh metrics: accepted, written back, the integration's requests, the saga's state.
/// </summary>
[TestFixture]
public sealed class When_an_operator_scrapes_metrics
{
    private OperationsHarness _mesh = null!;
    // Prometheus scrapes with a token of the metrics role (docs/security.md).
    private readonly HttpClient _http = TestAuth.WithToken(new HttpClient(), TestAuth.Token([], AccessRoles.Metrics));

    [OneTimeSetUp]
    public async Task Start() => _mesh = await OperationsHarness.StartAsync("9130000000000999", invoices: 1);

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _mesh.DisposeAsync();
    }

    [Test]
    public async Task Should_expose_the_payment_counters_with_non_zero_values()
    {
        var invoice = (await _mesh.PlatformInvoicesAsync())[0];
        await _mesh.PlatformBus.Publish(new PaymentProcessed($"pay_{Guid.NewGuid():N}", _mesh.Tenant, PaymentMethod.Ach, "USD", invoice.Balance, 0.80m,
            [new PaymentAllocation(invoice.InvoiceId, invoice.Balance)], DateTimeOffset.UtcNow));
        await _mesh.PaidInBooksAsync(invoice.ExternalId);

        var paymentEvents = await Eventually.Until(() => ScrapeAsync(_mesh.PaymentEvents),
            m => Sum(m, "reconmesh_payments_accepted_total") > 0, "PaymentEvents' /metrics to count the accepted payment");
        var writeback = await Eventually.Until(() => ScrapeAsync(_mesh.Writeback),
            m => Sum(m, "reconmesh_payments_written_back_total") > 0 && Sum(m, "reconmesh_sagas") > 0,
            "WritebackService's /metrics to count the written-back payment and its saga");

        Assert.Multiple(() =>
        {
            Assert.That(Sum(paymentEvents, "reconmesh_payments_accepted_total"), Is.GreaterThan(0));
            Assert.That(Sum(writeback, "reconmesh_payments_written_back_total"), Is.GreaterThan(0));
            Assert.That(Sum(writeback, "reconmesh_integration_requests_total"), Is.GreaterThan(0), "the POST of the QuickBooks Payment");
            Assert.That(Sum(writeback, "reconmesh_integration_request_duration_seconds_count"), Is.GreaterThan(0));
            Assert.That(Sum(writeback, "reconmesh_sagas"), Is.GreaterThan(0));
        });
    }

    private async Task<string> ScrapeAsync(WebApplication host)
    {
        using var response = await _http.GetAsync(new Uri(host.Address(), "/metrics"));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's samples (all label sets) in Prometheus' text format: "name{labels} value [timestamp]".</summary>
    private static double Sum(string exposition, string metric) =>
        exposition.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal))
            .Select(l => l.Contains('}', StringComparison.Ordinal) ? l[(l.LastIndexOf('}') + 1)..] : l[metric.Length..])
            .Select(rest => double.Parse(rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture))
            .Where(double.IsFinite)
            .Sum();
}
