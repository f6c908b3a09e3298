using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReconMesh.Demo;

/// <summary>The sandbox's admin and platform APIs, as the demo uses them.</summary>
internal sealed class SandboxClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public sealed record BookInvoice(string Id, string DocNumber, string CustomerId, decimal TotalAmt, decimal Balance, bool Voided, bool Deleted, IReadOnlyList<string> LinkedPaymentIds);

    public sealed record BookPaymentLine(string InvoiceId, decimal Amount);

    public sealed record BookPayment(string Id, string CustomerId, decimal TotalAmt, decimal UnappliedAmt, bool Voided, bool Deleted, string? PrivateNote, string? PaymentRefNum, IReadOnlyList<BookPaymentLine> Lines);

    public sealed record Books(IReadOnlyList<BookInvoice> Invoices, IReadOnlyList<BookPayment> Payments, int RequestCount, int ThrottledCount);

    public sealed record PlatformInvoice(Guid InvoiceId, string TenantId, string Number, decimal Total, decimal Balance);

    public sealed record PlatformPayment(JsonElement Payment, string Outcome, string? Reason);

    public sealed record PayResult(int Payments, decimal Total, IReadOnlyList<string> PaymentIds);

    public async Task CreateCompanyAsync(string realm, string token)
    {
        using var response = await http.PostAsJsonAsync("/admin/qbo/companies", new { realmId = realm, accessToken = token }, Json);
        response.EnsureSuccessStatusCode();
    }

    public async Task SeedAsync(string realm, int customers, int invoices)
    {
        using var response = await http.PostAsJsonAsync($"/admin/qbo/companies/{realm}/seed",
            new { customers, invoices, currency = "USD", seed = 42 }, Json);
        response.EnsureSuccessStatusCode();
    }

    public async Task<Books> BooksAsync(string realm) =>
        (await http.GetFromJsonAsync<Books>($"/admin/qbo/companies/{realm}/books", Json))!;

    public async Task<IReadOnlyList<PlatformInvoice>> PlatformInvoicesAsync(string tenant) =>
        (await http.GetFromJsonAsync<List<PlatformInvoice>>($"/platform/invoices?tenantId={Uri.EscapeDataString(tenant)}", Json))!;

    public async Task<IReadOnlyList<PlatformPayment>> PlatformPaymentsAsync(string tenant) =>
        (await http.GetFromJsonAsync<List<PlatformPayment>>($"/platform/payments?tenantId={Uri.EscapeDataString(tenant)}", Json))!;

    public async Task<PayResult> PayOpenInvoicesAsync(string tenant)
    {
        using var response = await http.PostAsJsonAsync("/platform/scenarios/pay-open-invoices", new { tenantId = tenant, method = "Ach" }, Json);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<PayResult>(Json))!;
    }
}
