using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.Sandbox.ConnectWise;
using ReconMesh.Sandbox.Xero;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// The admin call that does what a partner's PSA-to-accounting sync does: a ConnectWise site's invoices raised in a Xero
/// organisation under the same numbers and totals, a contact per ConnectWise company, those left out left out, and
/// asking again raising only what is new.
/// </summary>
public sealed class XeroConnectWiseMirrorTests
{
    private const string Site = "mirrored";

    private Microsoft.AspNetCore.Builder.WebApplication _app = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var (app, address) = await SandboxTestServer.StartAsync([new Dictionary<string, string?> { ["Sandbox:Xero:RequestsPerMinute"] = "0" }], null, false,
            (services, configuration) => services.AddConnectWiseSimulator(configuration).AddXeroSimulator(configuration),
            app => app.MapConnectWiseSimulator().MapXeroSimulator().MapXeroConnectWiseMirror());
        (_app, _http) = (app, new HttpClient { BaseAddress = address });
        (await _http.PostAsJsonAsync("/admin/cw/sites", new { companyId = Site, publicKey = "pub", privateKey = "priv", clientId = Guid.NewGuid() }))
            .EnsureSuccessStatusCode();
        (await _http.PostAsJsonAsync($"/admin/cw/sites/{Site}/seed", new { companies = 3, invoices = 8, currency = "USD", seed = 3 })).EnsureSuccessStatusCode();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Test]
    public async Task Should_raise_each_ConnectWise_invoice_under_its_number_and_total_but_those_left_out_and_only_once()
    {
        var site = (await _http.GetFromJsonAsync<JsonElement>($"/admin/cw/sites/{Site}/books")).GetProperty("invoices").EnumerateArray()
            .Select(i => (Number: i.GetProperty("invoiceNumber").GetString()!, Total: i.GetProperty("total").GetDecimal(), Company: i.GetProperty("companyId").GetInt32()))
            .ToList();
        var tenant = await NewOrganisationAsync();

        var first = await MirrorAsync(tenant, new { companyId = Site, leaveOut = new[] { site[0].Number } });
        var again = await MirrorAsync(tenant, new { companyId = Site });

        var books = await _http.GetFromJsonAsync<JsonElement>($"/admin/xero/organisations/{tenant}/books");
        var raised = books.GetProperty("invoices").EnumerateArray().ToDictionary(i => i.GetProperty("invoiceNumber").GetString()!);
        Assert.That(first.GetProperty("raised").GetInt32(), Is.EqualTo(site.Count - 1));
        Assert.That(again.GetProperty("invoiceNumbers").EnumerateArray().Select(n => n.GetString()), Is.EqualTo(new[] { site[0].Number }),
            "asking again raises only what the organisation lacks");
        Assert.That(raised.Values.Select(i => (i.GetProperty("status").GetString(), i.GetProperty("amountDue").GetDecimal())),
            Is.EquivalentTo(site.Select(i => ("AUTHORISED", i.Total))));
        Assert.That(books.GetProperty("contacts").EnumerateArray().Select(c => c.GetProperty("name").GetString()),
            Is.EquivalentTo(site.Select(i => $"ConnectWise company {i.Company}").Distinct()));
    }

    [Test]
    public async Task Should_refuse_an_unknown_site_and_answer_404_for_an_unknown_organisation()
    {
        using var unknownSite = await _http.PostAsJsonAsync($"/admin/xero/organisations/{await NewOrganisationAsync()}/mirror-connectwise",
            new { companyId = "nowhere" });
        using var unknownOrganisation = await _http.PostAsJsonAsync($"/admin/xero/organisations/{Guid.NewGuid()}/mirror-connectwise", new { companyId = Site });

        Assert.That(unknownSite.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(unknownOrganisation.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private async Task<Guid> NewOrganisationAsync()
    {
        var tenant = Guid.NewGuid();
        (await _http.PostAsJsonAsync("/admin/xero/organisations", new { tenantId = tenant })).EnsureSuccessStatusCode();
        return tenant;
    }

    private async Task<JsonElement> MirrorAsync(Guid tenant, object body)
    {
        using var response = await _http.PostAsJsonAsync($"/admin/xero/organisations/{tenant}/mirror-connectwise", body);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
        return answer;
    }
}
