using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReconMesh.Demo;

/// <summary>The sandbox's admin and platform APIs, as the demo uses them.</summary>
internal sealed partial class SandboxClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public sealed record BookInvoice(string Id, string DocNumber, string CustomerId, decimal TotalAmt, decimal Balance, bool Voided, bool Deleted, IReadOnlyList<string> LinkedPaymentIds);

    public sealed record BookPaymentLine(string InvoiceId, decimal Amount);

    public sealed record BookPayment(string Id, string CustomerId, decimal TotalAmt, decimal UnappliedAmt, bool Voided, bool Deleted, string? PrivateNote,
        string? PaymentRefNum, IReadOnlyList<BookPaymentLine> Lines, string? DepositId);

    public sealed record BookDepositLine(decimal Amount, string? PaymentId, string? AccountId);

    public sealed record BookDeposit(string Id, string? DepositToAccountId, decimal TotalAmt, IReadOnlyList<BookDepositLine> Lines);

    public sealed record BookAccount(string Id, string? Name, string? AccountType, string? AccountSubType, decimal CurrentBalance);

    public sealed record Books(IReadOnlyList<BookInvoice> Invoices, IReadOnlyList<BookPayment> Payments, IReadOnlyList<BookDeposit> Deposits,
        IReadOnlyList<BookAccount> Accounts, int RequestCount, int ThrottledCount);

    public sealed record PlatformPayout(JsonElement Payout, string Outcome, string? DepositId, string? Reason);

    public sealed record PlatformInvoice(Guid InvoiceId, string TenantId, string Number, decimal Total, decimal Balance, string ExternalId = "");

    public sealed record PlatformPayment(JsonElement Payment, string Outcome, string? Reason);

    public sealed record CwBookInvoice(int Id, string InvoiceNumber, decimal Total, decimal Balance, int CompanyId = 0, bool Closed = false);

    public sealed record CwBookPayment(int Id, int InvoiceId, decimal Amount, string? AppliedBy);

    public sealed record CwBooks(IReadOnlyList<CwBookInvoice> Invoices, IReadOnlyList<CwBookPayment> Payments, long RequestCount, long ThrottledCount);

    /// <summary>A QuickBooks company; <paramref name="requestsPerMinute"/> and <paramref name="maxConcurrent"/> 0 turn its limits off.</summary>
    public async Task CreateCompanyAsync(string realm, string token, int? requestsPerMinute = null, int? maxConcurrent = null)
    {
        using var response = await http.PostAsJsonAsync("/admin/qbo/companies",
            new { realmId = realm, accessToken = token, requestsPerMinute, maxConcurrent }, Json);
        response.EnsureSuccessStatusCode();
    }

    public async Task SeedAsync(string realm, int customers, int invoices, int seed = 42)
    {
        using var response = await http.PostAsJsonAsync($"/admin/qbo/companies/{realm}/seed",
            new { customers, invoices, currency = "USD", seed }, Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A ConnectWise PSA site with these API member keys; <paramref name="requestsPerMinute"/> 0 turns its limit off.</summary>
    public async Task CreateConnectWiseSiteAsync(string companyId, string publicKey, string privateKey, string clientId, int requestsPerMinute)
    {
        using var response = await http.PostAsJsonAsync("/admin/cw/sites", new { companyId, publicKey, privateKey, clientId, requestsPerMinute }, Json);
        response.EnsureSuccessStatusCode();
    }

    public async Task SeedConnectWiseAsync(string companyId, int companies, int invoices, int seed)
    {
        using var response = await http.PostAsJsonAsync($"/admin/cw/sites/{companyId}/seed", new { companies, invoices, currency = "USD", seed }, Json);
        response.EnsureSuccessStatusCode();
    }

    public async Task<CwBooks> ConnectWiseBooksAsync(string companyId) =>
        (await http.GetFromJsonAsync<CwBooks>($"/admin/cw/sites/{companyId}/books", Json))!;

    /// <summary>Replaces a simulator's fault profile (quickbooks, connectwise, platform); see docs/sandbox.md.</summary>
    public async Task SetFaultsAsync(string simulator, object profile)
    {
        using var response = await http.PutAsJsonAsync($"/admin/faults/{simulator}", profile, Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Every simulator's fault profile with the counts of faults injected so far.</summary>
    public async Task<JsonElement> FaultsAsync() => await http.GetFromJsonAsync<JsonElement>("/admin/faults", Json);

    public async Task<Books> BooksAsync(string realm) =>
        (await http.GetFromJsonAsync<Books>($"/admin/qbo/companies/{realm}/books", Json))!;

    public async Task<IReadOnlyList<PlatformInvoice>> PlatformInvoicesAsync(string tenant) =>
        (await http.GetFromJsonAsync<List<PlatformInvoice>>($"/platform/invoices?tenantId={Uri.EscapeDataString(tenant)}", Json))!;

    public async Task<IReadOnlyList<PlatformPayment>> PlatformPaymentsAsync(string tenant) =>
        (await http.GetFromJsonAsync<List<PlatformPayment>>($"/platform/payments?tenantId={Uri.EscapeDataString(tenant)}", Json))!;

    /// <summary>
    /// The platform takes a payment; with <paramref name="paymentId"/> given, asking again reports the same payment again.
    /// <paramref name="delivery"/>: bus (the default), webhook (the answer then holds the payment and the receiver's answer) or json.
    /// </summary>
    public async Task<JsonElement> PayAsync(string tenant, string method, IReadOnlyList<(Guid InvoiceId, decimal Amount)> allocations, string? paymentId = null,
        decimal? fee = null, bool passFeeToCustomer = false, string? delivery = null)
    {
        using var response = await http.PostAsJsonAsync("/platform/payments", new
        {
            tenantId = tenant, method, allocations = allocations.Select(a => new { invoiceId = a.InvoiceId, amount = a.Amount }), paymentId, fee,
            passFeeToCustomer, delivery,
        }, Json);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    /// <summary>Where the platform sends its signed webhooks, and the secret it signs them with.</summary>
    public async Task SetPlatformWebhookAsync(Uri url, string secret)
    {
        using var response = await http.PutAsJsonAsync("/admin/platform/webhook", new { url, secret }, Json);
        response.EnsureSuccessStatusCode();
    }

    public async Task FailAsync(string tenant, string paymentId) => await FailAsync(tenant, paymentId, null);

    /// <summary>The partner refunds the whole payment to the customer.</summary>
    public async Task RefundAsync(string tenant, string paymentId) => await RefundAsync(tenant, paymentId, null);

    /// <summary>
    /// The refund through the platform's door <paramref name="delivery"/> (bus, webhook or json), with a refund id of the
    /// payment's own, so that reporting it again is the same refund. The answer, as <see cref="PayAsync"/>'s.
    /// </summary>
    public async Task<JsonElement> RefundAsync(string tenant, string paymentId, string? delivery) =>
        await PostAsync($"/platform/payments/{paymentId}/refund", new { tenantId = tenant, reason = "Service cancelled", refundId = $"re_{paymentId}", delivery });

    /// <summary>The customer disputes the card payment and the card network takes it back.</summary>
    public async Task ChargeBackAsync(string tenant, string paymentId) => await ChargeBackAsync(tenant, paymentId, null);

    /// <summary>The chargeback through the platform's door <paramref name="delivery"/>, with a chargeback id of the payment's own.</summary>
    public async Task<JsonElement> ChargeBackAsync(string tenant, string paymentId, string? delivery) =>
        await PostAsync($"/platform/payments/{paymentId}/chargeback", new { tenantId = tenant, chargebackId = $"dp_{paymentId}", delivery });

    /// <summary>The bank returns the ACH payment (R01), through the platform's door <paramref name="delivery"/>.</summary>
    public async Task<JsonElement> FailAsync(string tenant, string paymentId, string? delivery) =>
        await PostAsync($"/platform/payments/{paymentId}/fail", new { tenantId = tenant, code = "R01", reason = "Insufficient funds (ACH return)", delivery });

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body, Json);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    /// <summary>An ACH payment the bank returns (after it may have been paid out), with its return code.</summary>
    public async Task FailAsync(string tenant, string paymentId, string code, string reason)
    {
        using var response = await http.PostAsJsonAsync($"/platform/payments/{paymentId}/fail", new { tenantId = tenant, code, reason }, Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// A payout of these payments, taking back these earlier payments reversed since (kind: Refunded, ChargedBack, Failed);
    /// with <paramref name="payoutId"/> given, asking again sends the same payout again.
    /// </summary>
    public async Task<JsonElement> PayOutAsync(string tenant, IReadOnlyList<string> paymentIds, IReadOnlyList<(string PaymentId, string Kind)>? reversals = null,
        string? payoutId = null)
    {
        using var response = await http.PostAsJsonAsync("/platform/payouts", new
        {
            tenantId = tenant, paymentIds, payoutId, reversals = (reversals ?? []).Select(r => new { paymentId = r.PaymentId, kind = r.Kind }),
        }, Json);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    public async Task<IReadOnlyList<PlatformPayout>> PlatformPayoutsAsync(string tenant) =>
        (await http.GetFromJsonAsync<List<PlatformPayout>>($"/platform/payouts?tenantId={Uri.EscapeDataString(tenant)}", Json))!;

    /// <summary>Something a person does in QuickBooks itself, through its API: voids an invoice.</summary>
    public async Task VoidInvoiceByHandAsync(string realm, string token, string invoiceId)
    {
        using var quickBooks = QuickBooks(realm, token);
        var invoice = await quickBooks.GetFromJsonAsync<JsonElement>($"invoice/{invoiceId}");
        using var response = await quickBooks.PostAsJsonAsync("invoice?operation=void",
            new { Id = invoiceId, SyncToken = invoice.GetProperty("Invoice").GetProperty("SyncToken").GetString() }, PascalCase);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Something a person does in QuickBooks behind the mesh's back: deletes a payment.</summary>
    public async Task DeletePaymentByHandAsync(string realm, string token, string paymentId)
    {
        using var quickBooks = QuickBooks(realm, token);
        var payment = await quickBooks.GetFromJsonAsync<JsonElement>($"payment/{paymentId}");
        using var response = await quickBooks.PostAsJsonAsync("payment?operation=delete",
            new { Id = paymentId, SyncToken = payment.GetProperty("Payment").GetProperty("SyncToken").GetString() }, PascalCase);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// What a partner's PSA-to-accounting sync would have done: each of the site's invoices posted to the QuickBooks
    /// company under the same number, for a customer per ConnectWise company, a few at a time.
    /// </summary>
    public async Task MirrorConnectWiseInQuickBooksAsync(string companyId, string realm, string token)
    {
        using var quickBooks = QuickBooks(realm, token);
        var site = (await ConnectWiseBooksAsync(companyId)).Invoices.OrderBy(i => i.Id).ToList();
        var customers = new Dictionary<int, string>();
        foreach (var company in site.Select(i => i.CompanyId).Distinct())
        {
            var created = await PostAsync(quickBooks, "customer", new { DisplayName = $"ConnectWise company {company}" });
            customers[company] = created.GetProperty("Customer").GetProperty("Id").GetString()!;
        }

        await Parallel.ForEachAsync(site, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (invoice, _) =>
            await PostAsync(quickBooks, "invoice", new
            {
                DocNumber = invoice.InvoiceNumber,
                CustomerRef = new { value = customers[invoice.CompanyId] },
                Line = new[] { new { DetailType = "SalesItemLineDetail", Amount = invoice.Total, SalesItemLineDetail = new { ItemRef = new { value = "1" } } } },
            }));
    }

    private static async Task<JsonElement> PostAsync(HttpClient quickBooks, string path, object body)
    {
        using var response = await quickBooks.PostAsJsonAsync(path, body, PascalCase);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        return response.IsSuccessStatusCode ? answer : throw new InvalidOperationException($"QuickBooks refused POST {path}: {answer}");
    }

    private static readonly JsonSerializerOptions PascalCase = new();

    /// <summary>A client of the QuickBooks company's Accounting API, as another application holding its token would use it.</summary>
    public HttpClient QuickBooks(string realm, string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(http.BaseAddress!, $"/v3/company/{realm}/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

}
