using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.Sandbox.Autotask;
using ReconMesh.Sandbox.QuickBooks;
using ReconMesh.Sandbox.Xero;

namespace ReconMesh.Sandbox.Tests;

/// <summary>
/// The admin calls that do what a partner's Autotask-to-accounting sync does: an Autotask database's invoices (not the
/// voided ones) raised in a Xero organisation or created in a QuickBooks company under the same numbers and totals,
/// one contact or customer per Autotask company, those left out left out, and asking again adding only what is new.
/// </summary>
public sealed class AutotaskMirrorTests
{
    private const string Database = "mirrored";

    private Microsoft.AspNetCore.Builder.WebApplication _app = null!;
    private HttpClient _http = null!;
    private List<(string Number, decimal Total)> _open = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        var (app, address) = await SandboxTestServer.StartAsync([new Dictionary<string, string?> { ["Sandbox:Xero:RequestsPerMinute"] = "0" }], null, false,
            (services, configuration) => services.AddAutotaskSimulator(configuration).AddXeroSimulator(configuration).AddQuickBooksSimulator(configuration),
            app => app.MapAutotaskSimulator().MapXeroSimulator().MapQuickBooksSimulator().MapAutotaskXeroMirror().MapAutotaskQuickBooksMirror());
        (_app, _http) = (app, new HttpClient { BaseAddress = address });
        (await _http.PostAsJsonAsync("/admin/autotask/databases", new { databaseId = Database, userName = "mirror@x.test" })).EnsureSuccessStatusCode();
        (await _http.PostAsJsonAsync($"/admin/autotask/databases/{Database}/seed", new { seed = 3, companies = 3, invoicesPerCompany = 3, voidedRate = 0.3 }))
            .EnsureSuccessStatusCode();
        _open = [.. (await _http.GetFromJsonAsync<JsonElement>($"/admin/autotask/databases/{Database}/books")).GetProperty("invoices").EnumerateArray()
            .Where(i => !i.GetProperty("isVoided").GetBoolean())
            .Select(i => (i.GetProperty("invoiceNumber").GetString()!, i.GetProperty("invoiceTotal").GetDecimal()))];
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Test]
    public async Task Should_raise_each_Autotask_invoice_but_the_voided_ones_in_Xero_under_its_number_and_total_and_only_once()
    {
        var tenant = Guid.NewGuid();
        (await _http.PostAsJsonAsync("/admin/xero/organisations", new { tenantId = tenant })).EnsureSuccessStatusCode();
        var path = $"/admin/xero/organisations/{tenant}/mirror-autotask";

        var first = await MirrorAsync(path, new { databaseId = Database, leaveOut = new[] { _open[0].Number } });
        var again = await MirrorAsync(path, new { databaseId = Database });
        using var unknown = await _http.PostAsJsonAsync(path, new { databaseId = "nowhere" });
        var books = await _http.GetFromJsonAsync<JsonElement>($"/admin/xero/organisations/{tenant}/books");
        var raised = books.GetProperty("invoices").EnumerateArray().ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_open, Has.Count.InRange(3, 8), "some invoices were voided");
            Assert.That(first.GetProperty("raised").GetInt32(), Is.EqualTo(_open.Count - 1));
            Assert.That(again.GetProperty("invoiceNumbers").EnumerateArray().Select(n => n.GetString()), Is.EqualTo(new[] { _open[0].Number }));
            Assert.That(raised.Select(i => (i.GetProperty("invoiceNumber").GetString()!, i.GetProperty("amountDue").GetDecimal())), Is.EquivalentTo(_open));
            Assert.That(raised.Select(i => i.GetProperty("status").GetString()), Is.All.EqualTo("AUTHORISED"));
            Assert.That(books.GetProperty("contacts").GetArrayLength(), Is.InRange(1, 3));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }
    }

    [Test]
    public async Task Should_create_each_Autotask_invoice_but_the_voided_ones_in_QuickBooks_under_its_number_and_total_and_only_once()
    {
        const string realm = "9130357766900777";
        (await _http.PostAsJsonAsync("/admin/qbo/companies", new { realmId = realm })).EnsureSuccessStatusCode();
        var path = $"/admin/qbo/companies/{realm}/mirror-autotask";

        var first = await MirrorAsync(path, new { databaseId = Database, leaveOut = new[] { _open[0].Number } });
        var again = await MirrorAsync(path, new { databaseId = Database });
        using var unknown = await _http.PostAsJsonAsync(path, new { databaseId = "nowhere" });
        using var noCompany = await _http.PostAsJsonAsync("/admin/qbo/companies/1/mirror-autotask", new { databaseId = Database });
        var created = (await _http.GetFromJsonAsync<JsonElement>($"/admin/qbo/companies/{realm}/books")).GetProperty("invoices").EnumerateArray().ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.GetProperty("created").GetInt32(), Is.EqualTo(_open.Count - 1));
            Assert.That(again.GetProperty("invoiceNumbers").EnumerateArray().Select(n => n.GetString()), Is.EqualTo(new[] { _open[0].Number }));
            Assert.That(created.Select(i => (i.GetProperty("docNumber").GetString()!, i.GetProperty("balance").GetDecimal())), Is.EquivalentTo(_open));
            Assert.That(created.Select(i => i.GetProperty("customerId").GetString()).Distinct().Count(), Is.InRange(1, 3));
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(noCompany.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    private async Task<JsonElement> MirrorAsync(string path, object body)
    {
        using var response = await _http.PostAsJsonAsync(path, body);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer.ToString());
        return answer;
    }
}
