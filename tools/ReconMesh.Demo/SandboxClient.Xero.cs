using System.Net.Http.Json;

namespace ReconMesh.Demo;

/// <summary>The Xero simulator's admin API, as the demo uses it (docs/sandbox.md, Xero).</summary>
internal sealed partial class SandboxClient
{
    /// <summary>The platform's clearing account the demo adds (BANK), the simulator's business bank account and its Bank Fees account.</summary>
    public const string XeroClearingAccount = "093";
    public const string XeroBankAccount = "090";
    public const string XeroFeesAccount = "404";

    /// <summary>The contact a payout's fees are spent to (<c>XeroDepositWriteback.PlatformContact</c>).</summary>
    public const string XeroPlatformContact = "ReconMesh payment platform";

    public sealed record XeroBookInvoice(string InvoiceId, string InvoiceNumber, string Status, decimal Total, decimal AmountDue);

    public sealed record XeroBookPayment(string PaymentId, string InvoiceId, string AccountCode, decimal Amount, string? Reference, string Status);

    public sealed record XeroBookTransfer(string BankTransferId, string FromCode, string ToCode, decimal Amount, string? Reference);

    public sealed record XeroBookTransaction(string BankTransactionId, string Type, string BankAccountCode, decimal Total, string? Reference, string Status);

    public sealed record XeroBookAccount(string Code, string Name, string Type, decimal Balance);

    public sealed record XeroBooks(IReadOnlyList<XeroBookInvoice> Invoices, IReadOnlyList<XeroBookPayment> Payments, IReadOnlyList<XeroBookTransfer> BankTransfers,
        IReadOnlyList<XeroBookTransaction> BankTransactions, IReadOnlyList<XeroBookAccount> Accounts, long Requests, long Throttled)
    {
        public decimal Balance(string code) => Accounts.Where(a => a.Code == code).Sum(a => a.Balance);
    }

    /// <summary>A Xero organisation with its limits off.</summary>
    public Task CreateXeroOrganisationAsync(Guid tenantId, string token) =>
        PostXeroAsync("/admin/xero/organisations", new { tenantId, accessToken = token, requestsPerMinute = 0, maxConcurrent = 0, requestsPerDay = 0 });

    /// <summary>
    /// What a partner sets up in Xero to record payouts: the platform's clearing account (a BANK account,
    /// <see cref="XeroClearingAccount"/>) and the platform's contact. After seeding, so no seeded invoice is the platform's.
    /// </summary>
    public async Task AddXeroPayoutAccountsAsync(Guid tenantId)
    {
        await PostXeroAsync($"/admin/xero/organisations/{tenantId}/accounts", new { code = XeroClearingAccount, name = "Payment platform clearing", type = "BANK" });
        await PostXeroAsync($"/admin/xero/organisations/{tenantId}/contacts", new { name = XeroPlatformContact });
    }

    public Task SeedXeroAsync(Guid tenantId, int contacts, int invoices, int seed) =>
        PostXeroAsync($"/admin/xero/organisations/{tenantId}/seed", new { contacts, invoices, seed });

    /// <summary>What a partner's PSA-to-accounting sync would have done: the ConnectWise site's invoices raised in the organisation under the same numbers.</summary>
    public Task MirrorConnectWiseInXeroAsync(Guid tenantId, string companyId) =>
        PostXeroAsync($"/admin/xero/organisations/{tenantId}/mirror-connectwise", new { companyId });

    public async Task<XeroBooks> XeroBooksAsync(Guid tenantId) =>
        (await http.GetFromJsonAsync<XeroBooks>($"/admin/xero/organisations/{tenantId}/books", Json))!;

    private async Task PostXeroAsync(string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body, Json);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The Xero simulator refused POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
