using System.Net.Http.Json;
using System.Text.Json;

namespace ReconMesh.IntegrationTests.SyncIn;

/// <summary>
/// One Autotask database in the sandbox, made and changed through its admin API (<c>/admin/autotask</c>) as Autotask's
/// users and billing would: seeded companies, contacts and invoices, an invoice posted, voided or marked paid by hand.
/// </summary>
public sealed class AutotaskSandbox(HttpClient sandbox, string databaseId, string userName, string secret, string integrationCode)
{
    public string DatabaseId { get; } = databaseId;

    public string UserName { get; } = userName;

    public string Secret { get; } = secret;

    public string IntegrationCode { get; } = integrationCode;

    public static async Task<AutotaskSandbox> CreateAsync(HttpClient sandbox)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        using var response = await sandbox.PostAsJsonAsync("/admin/autotask/databases", new { });
        response.EnsureSuccessStatusCode();
        var made = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new AutotaskSandbox(sandbox, Text(made, "databaseId"), Text(made, "userName"), Text(made, "secret"), Text(made, "integrationCode"));
    }

    public async Task SeedAsync(int seed, int companies, int invoicesPerCompany, double paidRate, double voidedRate) =>
        (await sandbox.PostAsJsonAsync(Path("seed"), new { seed, companies, invoicesPerCompany, paidRate, voidedRate })).EnsureSuccessStatusCode();

    /// <summary>The database's hourly threshold (0 turns it off), as <c>PUT limits</c> sets it.</summary>
    public async Task LimitsAsync(int requestsPerHour) =>
        (await sandbox.PutAsJsonAsync(Path("limits"), new { requestsPerHour })).EnsureSuccessStatusCode();

    public async Task<JsonElement> BooksAsync() => (await sandbox.GetFromJsonAsync<JsonElement>(Path("books")))!;

    /// <summary>The invoices as the books list them.</summary>
    public async Task<List<JsonElement>> InvoicesAsync() => [.. (await BooksAsync()).GetProperty("invoices").EnumerateArray()];

    /// <summary>A company with its billing contact (the company's bill-to attention, and its primary contact).</summary>
    public async Task<long> AddCompanyAsync(string name, string firstName, string lastName, string email)
    {
        using var response = await sandbox.PostAsJsonAsync(Path("companies"), new { companyName = name, firstName, lastName, emailAddress = email });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("companyId").GetInt64();
    }

    /// <summary>An invoice posted by Autotask's billing; its id.</summary>
    public async Task<long> AddInvoiceAsync(long companyId, decimal total)
    {
        using var response = await sandbox.PostAsJsonAsync(Path("invoices"), new { companyId, invoiceTotal = total });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("invoiceId").GetInt64();
    }

    public async Task VoidAsync(long invoiceId) =>
        (await sandbox.PostAsync(Path($"invoices/{invoiceId}/void"), null)).EnsureSuccessStatusCode();

    /// <summary>Marked paid by hand in Autotask, on <paramref name="day"/>.</summary>
    public async Task MarkPaidAsync(long invoiceId, DateOnly day) =>
        (await sandbox.PostAsJsonAsync(Path($"invoices/{invoiceId}/paid"), new { paidDate = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }))
            .EnsureSuccessStatusCode();

    public static bool IsOpen(JsonElement invoice) =>
        !invoice.GetProperty("isVoided").GetBoolean() && invoice.GetProperty("paidDate").ValueKind == JsonValueKind.Null;

    /// <summary>The database's limits (0 turns one off).</summary>
    public async Task SetLimitsAsync(int requestsPerHour, int threadsPerEndpoint) =>
        (await sandbox.PutAsJsonAsync(Path("limits"), new { requestsPerHour, threadsPerEndpoint })).EnsureSuccessStatusCode();

    /// <summary>The invoice as the books list it.</summary>
    public async Task<JsonElement> InvoiceAsync(string externalId) =>
        (await InvoicesAsync()).Single(i => i.GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture) == externalId);

    private string Path(string rest) => $"/admin/autotask/databases/{Uri.EscapeDataString(DatabaseId)}/{rest}";

    private static string Text(JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
