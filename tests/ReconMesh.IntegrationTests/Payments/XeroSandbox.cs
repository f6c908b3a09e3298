using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>
/// An organisation of the sandbox's Xero simulator for one fixture (its own tenant id and token, Xero's request limits
/// off unless a test sets them), a client of its Accounting API as a person's tool would use it, and its books.
/// </summary>
public sealed class XeroSandbox(HttpClient sandbox, Uri address, Guid tenantId, string token)
{
    /// <summary>The simulator's payments-enabled clearing account (CURRENT, <c>EnablePaymentsToAccount</c>).</summary>
    public const string ClearingAccount = "092";

    /// <summary>The payment platform's clearing account, a BANK account a payout can be transferred out of (added by <see cref="WithDepositsAsync"/>).</summary>
    public const string PlatformClearingAccount = "093";

    /// <summary>The simulator's business bank account (BANK) and its Bank Fees account (EXPENSE).</summary>
    public const string BankAccount = "090";

    public const string FeesAccount = "404";

    public Guid TenantId { get; } = tenantId;

    public string Token { get; } = token;

    public HttpClient Admin { get; } = sandbox;

    public static async Task<XeroSandbox> CreateAsync(HttpClient sandbox, Uri address)
    {
        var (tenantId, token) = (Guid.NewGuid(), $"xero-token-{Guid.NewGuid():N}");
        (await sandbox.PostAsJsonAsync("/admin/xero/organisations",
            new { tenantId, accessToken = token, requestsPerMinute = 0, maxConcurrent = 0, requestsPerDay = 0 })).EnsureSuccessStatusCode();
        return new XeroSandbox(sandbox, address, tenantId, token);
    }

    public string AdminPath(string path) => $"/admin/xero/organisations/{TenantId}/{path}";

    public async Task SeedAsync(int contacts, int invoices, int seed) =>
        (await Admin.PostAsJsonAsync(AdminPath("seed"), new { contacts, invoices, seed })).EnsureSuccessStatusCode();

    /// <summary>A client of the organisation's Accounting API (<c>/api.xro/2.0/</c>), with its token and tenant id.</summary>
    public HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = new Uri(address, "/api.xro/2.0/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        client.DefaultRequestHeaders.Add("xero-tenant-id", TenantId.ToString());
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>The settings of a Xero connection (index 0) to this organisation, with no request budget (see <c>Mesh.QuickBooksConnection</c>).</summary>
    public Dictionary<string, string?> Connection(Guid id, string tenant, string pollInterval) => new()
    {
        ["ReconMesh:Connections:0:RequestsPerMinute"] = "0",
        ["ReconMesh:Connections:0:MaxConcurrent"] = "0",
        ["ReconMesh:Connections:0:Id"] = id.ToString(),
        ["ReconMesh:Connections:0:TenantId"] = tenant,
        ["ReconMesh:Connections:0:Kind"] = "Xero",
        ["ReconMesh:Connections:0:BaseUrl"] = address.ToString(),
        ["ReconMesh:Connections:0:XeroTenantId"] = TenantId.ToString(),
        ["ReconMesh:Connections:0:AccessToken"] = Token,
        ["ReconMesh:Connections:0:PaymentsAccountId"] = ClearingAccount,
        ["ReconMesh:Connections:0:PollInterval"] = pollInterval,
    };

    /// <summary>
    /// <paramref name="connection"/> recording deposits: payments into the platform's clearing account (a BANK account
    /// added now), payouts to <see cref="BankAccount"/>, fees to <see cref="FeesAccount"/>, spent to the platform's contact.
    /// </summary>
    public async Task<Dictionary<string, string?>> WithDepositsAsync(Dictionary<string, string?> connection)
    {
        (await Admin.PostAsJsonAsync(AdminPath("accounts"), new { code = PlatformClearingAccount, name = "Payment platform clearing", type = "BANK" }))
            .EnsureSuccessStatusCode();
        (await Admin.PostAsJsonAsync(AdminPath("contacts"), new { name = ReconMesh.Integrations.Xero.XeroDepositWriteback.PlatformContact }))
            .EnsureSuccessStatusCode();
        connection["ReconMesh:Connections:0:PaymentsAccountId"] = PlatformClearingAccount;
        connection["ReconMesh:Connections:0:DepositAccountId"] = BankAccount;
        connection["ReconMesh:Connections:0:FeesAccountId"] = FeesAccount;
        return connection;
    }

    /// <summary>An account's balance in the books (debit-positive for assets and expenses), by code.</summary>
    public static decimal Balance(JsonElement books, string code) =>
        books.GetProperty("accounts").EnumerateArray().Single(a => a.GetProperty("code").GetString() == code).GetProperty("balance").GetDecimal();

    public async Task<JsonElement> BooksAsync() => await Admin.GetFromJsonAsync<JsonElement>(AdminPath("books"));

    public static JsonElement Invoice(JsonElement books, string invoiceId) =>
        books.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("invoiceId").GetString() == invoiceId);

    /// <summary>The invoice's payments that count (deleted ones left out).</summary>
    public static List<JsonElement> PaymentsFor(JsonElement books, string invoiceId) =>
        [.. books.GetProperty("payments").EnumerateArray()
            .Where(p => p.GetProperty("invoiceId").GetString() == invoiceId && p.GetProperty("status").GetString() != "DELETED")];

    /// <summary>A person records a payment in Xero (e.g. a cheque), as Xero's API takes it.</summary>
    public async Task PayByHandAsync(string invoiceId, decimal amount)
    {
        using var api = Api();
        using var response = await api.PutAsJsonAsync("Payments", new Dictionary<string, object>
        {
            ["Invoice"] = new Dictionary<string, string> { ["InvoiceID"] = invoiceId },
            ["Account"] = new Dictionary<string, string> { ["Code"] = ClearingAccount },
            ["Date"] = "2026-12-01", ["Amount"] = amount, ["Reference"] = "cheque 2207",
        });
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A person changes an invoice's status in Xero (authorise a draft, void an unpaid invoice, delete a draft).</summary>
    public async Task SetStatusAsync(string invoiceId, string status) =>
        (await Admin.PostAsJsonAsync(AdminPath($"invoices/{invoiceId}/status"), new { status })).EnsureSuccessStatusCode();

    /// <summary>A new invoice, as a person raises it in Xero; its id.</summary>
    public async Task<string> AddInvoiceAsync(string contactId, decimal amount, string? status = null)
    {
        using var response = await Admin.PostAsJsonAsync(AdminPath("invoices"), new { contactId, amount, status });
        var created = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        return created.GetProperty("invoiceId").GetString()!;
    }
}
