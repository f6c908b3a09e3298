using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// The admin API's <c>bookings</c>: each Payment with the moment it was created on the machine's monotonic clock, so a
/// benchmark times a payment on one clock from its publish to its booking.
/// </summary>
[TestFixture]
public sealed class QuickBooksBookingTests
{
    private QuickBooksSandboxHost _host = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _host = await QuickBooksSandboxHost.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    [Test]
    public async Task Each_payment_is_reported_once_in_creation_order_with_the_moment_it_was_created()
    {
        var company = await _host.NewCompanyAsync();
        var customer = (string)(await company.CreateCustomerAsync("Clock Watchers Ltd"))["Id"]!;
        var before = Stopwatch.GetTimestamp();
        foreach (var reference in new[] { "pay-a", "pay-b", "pay-c" })
        {
            var body = QboTestClient.PaymentBody(customer, 10m);
            body["PaymentRefNum"] = reference;
            await company.WriteAsync("payment", "Payment", body);
        }

        var after = Stopwatch.GetTimestamp();
        var first = await _host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/bookings?from=0&max=2");
        var rest = await _host.GetJsonAsync($"/admin/qbo/companies/{company.RealmId}/bookings?from={(int)first["next"]!}");
        var bookings = first["bookings"]!.AsArray().Concat(rest["bookings"]!.AsArray()).ToList();
        var times = bookings.Select(b => (long)b!["bookedAt"]!).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bookings.Select(b => (string)b!["paymentRefNum"]!), Is.EqualTo(new[] { "pay-a", "pay-b", "pay-c" }));
            Assert.That((int)rest["next"]!, Is.EqualTo(3));
            Assert.That((long)first["timestampFrequency"]!, Is.EqualTo(Stopwatch.Frequency), "the test's clock is the sandbox's");
            Assert.That(times, Is.Ordered);
            Assert.That(times, Has.All.InRange(before, after), "taken while each request was answered, on this process's clock");
        }
    }

    [Test]
    public async Task A_page_beyond_the_limit_or_an_unknown_company_is_refused()
    {
        var company = await _host.NewCompanyAsync();
        using var tooMany = await _host.Http.GetAsync($"/admin/qbo/companies/{company.RealmId}/bookings?max=1001");
        using var unknown = await _host.Http.GetAsync("/admin/qbo/companies/999999999/bookings");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }
}
