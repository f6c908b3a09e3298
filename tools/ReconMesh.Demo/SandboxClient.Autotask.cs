using System.Net.Http.Json;

namespace ReconMesh.Demo;

/// <summary>The Autotask simulator's admin API, as the demo uses it (docs/sandbox.md, Autotask PSA).</summary>
internal sealed partial class SandboxClient
{
    public sealed record AutotaskBookInvoice(long Id, string InvoiceNumber, decimal InvoiceTotal, bool IsVoided, string? PaidDate, string? WebServiceDate);

    public sealed record AutotaskBooks(IReadOnlyList<AutotaskBookInvoice> Invoices, long Requests, long ThresholdBlocked, long ThreadLimited);

    /// <summary>An Autotask database with its API user and its limits off (the hourly threshold and the thread limit).</summary>
    public Task CreateAutotaskDatabaseAsync(string databaseId, string userName, string secret, string integrationCode) =>
        PostAdminAsync("/admin/autotask/databases", new { databaseId, userName, secret, integrationCode, requestsPerHour = 0, threadsPerEndpoint = 0 });

    /// <summary>Companies with their billing contacts and <paramref name="invoicesPerCompany"/> open invoices each.</summary>
    public Task SeedAutotaskAsync(string databaseId, int companies, int invoicesPerCompany, int seed) =>
        PostAdminAsync($"/admin/autotask/databases/{databaseId}/seed", new { seed, companies, invoicesPerCompany, paidRate = 0, voidedRate = 0 });

    /// <summary>What a partner's Autotask-to-QuickBooks sync would have done: each invoice created in the company under the same number.</summary>
    public Task MirrorAutotaskInQuickBooksAsync(string databaseId, string realm) =>
        PostAdminAsync($"/admin/qbo/companies/{realm}/mirror-autotask", new { databaseId });

    /// <summary>The same, for a partner whose Autotask is paired with Xero: each invoice raised in the organisation under the same number.</summary>
    public Task MirrorAutotaskInXeroAsync(Guid tenantId, string databaseId) =>
        PostAdminAsync($"/admin/xero/organisations/{tenantId}/mirror-autotask", new { databaseId });

    public async Task<AutotaskBooks> AutotaskBooksAsync(string databaseId) =>
        (await http.GetFromJsonAsync<AutotaskBooks>($"/admin/autotask/databases/{databaseId}/books", Json))!;

    private async Task PostAdminAsync(string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body, Json);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The sandbox refused POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
