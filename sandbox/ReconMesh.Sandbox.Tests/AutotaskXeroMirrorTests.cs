using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.Sandbox.Autotask;
using ReconMesh.Sandbox.Xero;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// The admin call that does what a partner's Autotask-to-accounting sync does: an Autotask database's invoices (not
/// the voided ones) raised in a Xero organisation under the same numbers, totals and dates, a contact per Autotask
/// company, those left out left out, and asking again raising only what is new.
/// </summary>
public sealed class AutotaskXeroMirrorTests
{
    private const string Database = "mirrored";

    private Microsoft.AspNetCore.Builder.WebApplication _app = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var (app, address) = await SandboxTestServer.StartAsync([new Dictionary<string, string?> { ["Sandbox:Xero:RequestsPerMinute"] = "0" }], null, false,
            (services, configuration) => services.AddAutotaskSimulator(configuration).AddXeroSimulator(configuration),
            app => app.MapAutotaskSimulator().MapXeroSimulator().MapAutotaskXeroMirror());
        (_app, _http) = (app, new HttpClient { BaseAddress = address });
        (await _http.PostAsJsonAsync("/admin/autotask/databases", new { databaseId = Database, userName = "mirror@x.test" })).EnsureSuccessStatusCode();
        (await _http.PostAsJsonAsync($"/admin/autotask/databases/{Database}/seed", new { seed = 3, companies = 3, invoicesPerCompany = 3, voidedRate = 0.3 }))
            .EnsureSuccessStatusCode();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Test]
    public async Task Should_raise_each_Autotask_invoice_but_the_voided_ones_under_its_number_total_and_date_and_only_once()
    {
        var autotask = (await _http.GetFromJsonAsync<JsonElement>($"/admin/autotask/databases/{Database}/books")).GetProperty("invoices").EnumerateArray()
            .Where(i => !i.GetProperty("isVoided").GetBoolean())
            .Select(i => (Number: i.GetProperty("invoiceNumber").GetString()!, Total: i.GetProperty("invoiceTotal").GetDecimal()))
            .ToList();
        var tenant = Guid.NewGuid();
        (await _http.PostAsJsonAsync("/admin/xero/organisations", new { tenantId = tenant })).EnsureSuccessStatusCode();

        var first = await MirrorAsync(tenant, new { databaseId = Database, leaveOut = new[] { autotask[0].Number } });
        var again = await MirrorAsync(tenant, new { databaseId = Database });
        using var unknown = await _http.PostAsJsonAsync($"/admin/xero/organisations/{tenant}/mirror-autotask", new { databaseId = "nowhere" });

        var books = await _http.GetFromJsonAsync<JsonElement>($"/admin/xero/organisations/{tenant}/books");
        var raised = books.GetProperty("invoices").EnumerateArray().ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(autotask, Has.Count.InRange(3, 8), "some invoices were voided");
            Assert.That(first.GetProperty("raised").GetInt32(), Is.EqualTo(autotask.Count - 1));
            Assert.That(again.GetProperty("invoiceNumbers").EnumerateArray().Select(n => n.GetString()), Is.EqualTo(new[] { autotask[0].Number }));
            Assert.That(raised.Select(i => (i.GetProperty("invoiceNumber").GetString()!, i.GetProperty("amountDue").GetDecimal())), Is.EquivalentTo(autotask));
            Assert.That(raised.Select(i => i.GetProperty("status").GetString()), Is.All.EqualTo("AUTHORISED"));
            Assert.That(books.GetProperty("contacts").GetArrayLength(), Is.InRange(1, 3));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }
    }

    private async Task<JsonElement> MirrorAsync(Guid tenant, object body)
    {
        using var response = await _http.PostAsJsonAsync($"/admin/xero/organisations/{tenant}/mirror-autotask", body);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
        return answer;
    }
}
