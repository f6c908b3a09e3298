using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReconMesh.Bench;

/// <summary>The sandbox's admin API, its platform simulator, and its QuickBooks API (for watching payments arrive).</summary>
internal sealed class SandboxApi(Uri baseAddress) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };

    public void Dispose() => _http.Dispose();

    public sealed record PlatformInvoice(Guid InvoiceId, string TenantId, string Number, string Currency, decimal Balance);

    public sealed record BooksCounts(long RequestCount, long ThrottledCount, int Payments);

    /// <summary>How many of a tenant's invoices the platform has heard of, and when (Unix ms) it first heard of the latest.</summary>
    public sealed record InvoiceProgress(int Invoices, long LastFirstHeardAtMs);

    public async Task<InvoiceProgress> InvoiceProgressAsync(string tenantId) =>
        (await _http.GetFromJsonAsync<InvoiceProgress>($"/platform/invoices/progress?tenantId={Uri.EscapeDataString(tenantId)}", Json))!;

    public async Task CreateCompanyAsync(string realm, string token, int requestsPerMinute, int maxConcurrent)
    {
        using var response = await _http.PostAsJsonAsync("/admin/qbo/companies",
            new { realmId = realm, accessToken = token, requestsPerMinute, maxConcurrent }, Json);
        response.EnsureSuccessStatusCode();
    }

    public async Task SeedAsync(string realm, int customers, int invoices, int seed)
    {
        using var response = await _http.PostAsJsonAsync($"/admin/qbo/companies/{realm}/seed",
            new { customers, invoices, currency = "USD", seed }, Json);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The admin API's books (not counted as QuickBooks API requests), reduced to the counters.</summary>
    public async Task<BooksCounts> BooksAsync(string realm)
    {
        await using var stream = await _http.GetStreamAsync($"/admin/qbo/companies/{realm}/books");
        using var doc = await JsonDocument.ParseAsync(stream);
        var root = doc.RootElement;
        var payments = root.GetProperty("payments").EnumerateArray().Count(p => !p.GetProperty("deleted").GetBoolean());
        return new BooksCounts(root.GetProperty("requestCount").GetInt64(), root.GetProperty("throttledCount").GetInt64(), payments);
    }

    public async Task<IReadOnlyList<PlatformInvoice>> OpenPlatformInvoicesAsync(string tenant)
    {
        var all = await _http.GetFromJsonAsync<List<PlatformInvoice>>($"/platform/invoices?tenantId={Uri.EscapeDataString(tenant)}", Json);
        return [.. all!.Where(i => i.Balance > 0m)];
    }

    /// <summary>The company's Payments created from position <paramref name="from"/>, with the moment each was created (sandbox admin API).</summary>
    public async Task<(IReadOnlyList<(string PaymentRefNum, long BookedAt)> Bookings, int Next)> BookingsAsync(string realm, int from,
        CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"/admin/qbo/companies/{realm}/bookings?from={from}&max=1000", cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        var root = doc.RootElement;
        if (root.GetProperty("timestampFrequency").GetInt64() != System.Diagnostics.Stopwatch.Frequency)
        {
            throw new InvalidOperationException("The sandbox's monotonic clock ticks at another rate than the bench's: they are not on one machine's clock.");
        }

        var bookings = root.GetProperty("bookings").EnumerateArray()
            .Select(b => (b.TryGetProperty("paymentRefNum", out var r) ? r.GetString() ?? "" : "", b.GetProperty("bookedAt").GetInt64()))
            .ToList();
        return (bookings, root.GetProperty("next").GetInt32());
    }
}
