using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>A tenant's invoices as InvoiceIngest's API shows them (<c>/tenants/{t}/invoices</c>), for the sync-in tests.</summary>
public sealed class TenantInvoices(HttpClient ingest, string tenant)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Every invoice held (a thousand at most), with a query <paramref name="filter"/> such as <c>&amp;open=true</c>.</summary>
    public async Task<List<JsonElement>> AllAsync(string filter = "") =>
        (await ingest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{tenant}/invoices?pageSize=1000{filter}", Json))!;

    public async Task<JsonElement?> FindAsync(string externalId) =>
        (await AllAsync()).Cast<JsonElement?>().FirstOrDefault(i => i!.Value.GetProperty("externalId").GetString() == externalId);

    /// <summary>The names of the events in the invoice's stream, oldest first.</summary>
    public async Task<List<string>> HistoryAsync(string externalId)
    {
        var id = (await FindAsync(externalId))!.Value.GetProperty("invoiceId").GetGuid();
        var details = await ingest.GetFromJsonAsync<JsonElement>($"/tenants/{tenant}/invoices/{id}", Json);
        return [.. details.GetProperty("history").EnumerateArray().Select(e => e.GetProperty("event").GetString()!)];
    }
}
