using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MassTransit;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>The ConnectWise simulator's default site, and clients of its API and admin API.</summary>
public static class ConnectWiseSandbox
{
    public const string CompanyId = "reconmesh";
    public const string PublicKey = "sandbox-public";
    public const string PrivateKey = "sandbox-private";
    public const string ClientId = "00000000-0000-4000-8000-00000000c11e";
    public const int ClosedStatus = 3;

    /// <summary>A client of the site's REST API, authenticated as the API member (what a person's tool would use).</summary>
    public static HttpClient Api(Uri sandbox)
    {
        var client = new HttpClient { BaseAddress = new Uri(sandbox, "/v4_6_release/apis/3.0/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{CompanyId}+{PublicKey}:{PrivateKey}")));
        client.DefaultRequestHeaders.Add("clientId", ClientId);
        return client;
    }

    /// <summary>The settings of a ConnectWise connection to the default site, with no request budget (see <see cref="Mesh.QuickBooksConnection"/>).</summary>
    public static Dictionary<string, string?> Connection(Guid id, string tenant, Uri sandbox, string pollInterval) => new()
    {
        ["ReconMesh:Connections:0:RequestsPerMinute"] = "0",
        ["ReconMesh:Connections:0:MaxConcurrent"] = "0",
        ["ReconMesh:Connections:0:Id"] = id.ToString(),
        ["ReconMesh:Connections:0:TenantId"] = tenant,
        ["ReconMesh:Connections:0:Kind"] = "ConnectWisePsa",
        ["ReconMesh:Connections:0:BaseUrl"] = sandbox.ToString(),
        ["ReconMesh:Connections:0:CompanyId"] = CompanyId,
        ["ReconMesh:Connections:0:PublicKey"] = PublicKey,
        ["ReconMesh:Connections:0:PrivateKey"] = PrivateKey,
        ["ReconMesh:Connections:0:ClientId"] = ClientId,
        ["ReconMesh:Connections:0:PollInterval"] = pollInterval,
    };

    public static async Task<JsonElement> BooksAsync(HttpClient sandbox) =>
        await sandbox.GetFromJsonAsync<JsonElement>($"/admin/cw/sites/{CompanyId}/books");

    public static JsonElement Invoice(JsonElement books, string externalId) =>
        books.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) == externalId);

    public static List<JsonElement> PaymentsFor(JsonElement books, string externalId) =>
        [.. books.GetProperty("payments").EnumerateArray()
            .Where(p => p.GetProperty("invoiceId").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) == externalId)];

    /// <summary>POSTs to the API and returns the answer, failing the test with ConnectWise's error body otherwise.</summary>
    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.IsSuccessStatusCode, Is.True, answer.ToString());
        return answer;
    }

    public static async Task<JsonElement> PatchAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PatchAsJsonAsync(path, body);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.IsSuccessStatusCode, Is.True, answer.ToString());
        return answer;
    }
}

/// <summary>
/// The mesh as it runs (sandbox, PaymentEvents, WritebackService, InvoiceIngest) on a real RabbitMQ and PostgreSQL,
/// with one tenant connected to the ConnectWise simulator's seeded default site.
/// </summary>
public sealed class ConnectWiseScenarioHarness : PlatformScenario, IAsyncDisposable
{
    private Mesh _mesh = null!;

    public HttpClient ConnectWise { get; private set; } = null!;

    /// <summary>The WritebackService's services, to set up a state a crash would leave behind.</summary>
    public IServiceProvider WritebackServices => _mesh.Writeback.Services;

    /// <summary>The paired QuickBooks company (with <c>pairWithQuickBooks</c>): it receives payments and deposits for the site's invoices.</summary>
    public Guid SecondaryConnectionId { get; } = Guid.NewGuid();

    public const string Realm = "9130000000000777";

    /// <summary>
    /// Starts the mesh on the seeded site. With <paramref name="pairWithQuickBooks"/>, the tenant's ConnectWise connection
    /// is paired with a QuickBooks company holding each ConnectWise invoice under the same number (as a PSA-to-accounting
    /// sync would have posted it); with <paramref name="leaveUnmatched"/>, the last one is missing there, and the one
    /// before is there twice.
    /// </summary>
    public static async Task<ConnectWiseScenarioHarness> StartAsync(int invoices, bool pairWithQuickBooks = false, bool leaveUnmatched = true)
    {
        var harness = new ConnectWiseScenarioHarness();
        await harness.StartInternalAsync(invoices, pairWithQuickBooks, leaveUnmatched, pairWithXero: false);
        return harness;
    }

    /// <summary>
    /// Starts the mesh on the seeded site, its ConnectWise connection paired with a Xero organisation (<see cref="Xero"/>)
    /// holding each ConnectWise invoice under the same number (the sandbox's mirror, as a PSA-to-accounting sync would
    /// have raised them), payouts recorded there (<see cref="XeroSandbox.WithDepositsAsync"/>); with
    /// <paramref name="leaveUnmatched"/>, the last one is missing there (Xero keeps numbers unique, so none is there twice).
    /// </summary>
    public static async Task<ConnectWiseScenarioHarness> StartPairedWithXeroAsync(int invoices, bool leaveUnmatched = true)
    {
        var harness = new ConnectWiseScenarioHarness();
        await harness.StartInternalAsync(invoices, pairWithQuickBooks: false, leaveUnmatched, pairWithXero: true);
        return harness;
    }

    /// <summary>The paired Xero organisation (with <see cref="StartPairedWithXeroAsync"/>).</summary>
    public XeroSandbox? Xero { get; private set; }

    private async Task StartInternalAsync(int invoices, bool pairWithQuickBooks, bool leaveUnmatched, bool pairWithXero)
    {
        _mesh = await Mesh.StartSandboxAsync();
        Sandbox = _mesh.Sandbox;
        PlatformBus = _mesh.PlatformBus;
        (await Sandbox.PostAsJsonAsync($"/admin/cw/sites/{ConnectWiseSandbox.CompanyId}/seed", new { companies = 5, invoices, currency = "USD", seed = 5 }))
            .EnsureSuccessStatusCode();
        ConnectWise = ConnectWiseSandbox.Api(_mesh.SandboxHost.Address());
        var connection = ConnectWiseSandbox.Connection(ConnectionId, Tenant, _mesh.SandboxHost.Address(), "00:00:00.500");
        if (pairWithQuickBooks)
        {
            await MirrorInQuickBooksAsync(leaveUnmatched);
            connection["ReconMesh:Connections:0:SecondaryConnectionId"] = SecondaryConnectionId.ToString();
            foreach (var (key, value) in _mesh.QuickBooksConnection(SecondaryConnectionId, Tenant, Realm, PaymentScenarioHarness.Token, "00:00:01",
                PaymentScenarioHarness.CheckingAccountId))
            {
                connection[key.Replace(":Connections:0:", ":Connections:1:", StringComparison.Ordinal)] = value;
            }
        }

        if (pairWithXero)
        {
            await PairWithXeroAsync(connection, leaveUnmatched);
        }

        await _mesh.StartServicesAsync(connection);
        Writeback = TestAuth.Operator(_mesh.Writeback.Address(), Tenant);
        await UntilInvoicesSyncedAsync(_mesh.Writeback, invoices);
    }

    public async ValueTask DisposeAsync()
    {
        ConnectWise?.Dispose();
        Writeback?.Dispose();
        await _mesh.DisposeAsync();
    }

    public Task<JsonElement> BooksAsync() => ConnectWiseSandbox.BooksAsync(Sandbox);

    /// <summary>
    /// A payment the paired books refuse after ConnectWise took it (the invoice was paid there by hand first), then
    /// returned by the bank: it is half written and a person's work, then reversed where it was written, in ConnectWise.
    /// </summary>
    public async Task ProveAHalfWrittenPaymentReturnedIsReversedInConnectWiseAsync(InvoiceSynced invoice)
    {
        var payment = await PayAsync((invoice.InvoiceId, invoice.Total));
        var halfWritten = await SettledAsync(payment, "NeedsAttention");
        Assert.That(ConnectWiseSandbox.PaymentsFor(await BooksAsync(), invoice.ExternalId), Has.Count.EqualTo(1), "ConnectWise took it");

        await FailAsync(payment, "R01");
        var settled = await SettledAsync(payment, "Reversed");

        Assert.Multiple(() =>
        {
            Assert.That(halfWritten.GetProperty("reason").GetString(), Does.StartWith("Written to ConnectWisePsa"));
            Assert.That(PaymentScenarioHarness.Story(settled), Is.EqualTo(new[]
                { "payment_written_to_primary_only", "writeback_needs_attention", "payment_reversed_in_integration" }));
        });
        var site = await BooksAsync();
        Assert.That(ConnectWiseSandbox.PaymentsFor(site, invoice.ExternalId), Is.Empty, "nothing left in ConnectWise");
        Assert.That(ConnectWiseSandbox.Invoice(site, invoice.ExternalId).GetProperty("closed").GetBoolean(), Is.False);
    }

    /// <summary>The paired QuickBooks company's books.</summary>
    public async Task<JsonElement> QuickBooksBooksAsync() => await Sandbox.GetFromJsonAsync<JsonElement>($"/admin/qbo/companies/{Realm}/books");

    /// <summary>A bookkeeper records a cheque against the paired QuickBooks invoice, so QuickBooks no longer takes the platform's payment.</summary>
    public async Task PayByChequeInQuickBooksAsync(string quickBooksInvoiceId, decimal amount)
    {
        using var quickBooks = new HttpClient { BaseAddress = new Uri(_mesh.SandboxHost.Address(), $"/v3/company/{Realm}/") };
        quickBooks.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PaymentScenarioHarness.Token);
        var invoice = (await quickBooks.GetFromJsonAsync<JsonElement>($"invoice/{quickBooksInvoiceId}")).GetProperty("Invoice");
        await QuickBooksPostAsync(quickBooks, "payment", new
        {
            TotalAmt = amount,
            CustomerRef = new { value = invoice.GetProperty("CustomerRef").GetProperty("value").GetString() },
            PaymentRefNum = "CHEQUE-2207",
            Line = new[] { new { Amount = amount, LinkedTxn = new[] { new { TxnId = quickBooksInvoiceId, TxnType = "Invoice" } } } },
        });
    }

    /// <summary>A new Xero organisation mirroring the site (perhaps but its last invoice), as the connection's secondary (index 1).</summary>
    private async Task PairWithXeroAsync(Dictionary<string, string?> connection, bool leaveUnmatched)
    {
        Xero = await XeroSandbox.CreateAsync(Sandbox, _mesh.SandboxHost.Address());
        var site = (await BooksAsync()).GetProperty("invoices").EnumerateArray().OrderBy(i => i.GetProperty("id").GetInt32()).ToList();
        string[] leaveOut = leaveUnmatched ? [site[^1].GetProperty("invoiceNumber").GetString()!] : [];
        (await Sandbox.PostAsJsonAsync(Xero.AdminPath("mirror-connectwise"), new { companyId = ConnectWiseSandbox.CompanyId, leaveOut }))
            .EnsureSuccessStatusCode();
        connection["ReconMesh:Connections:0:SecondaryConnectionId"] = SecondaryConnectionId.ToString();
        foreach (var (key, value) in await Xero.WithDepositsAsync(Xero.Connection(SecondaryConnectionId, Tenant, "00:00:01")))
        {
            connection[key.Replace(":Connections:0:", ":Connections:1:", StringComparison.Ordinal)] = value;
        }
    }

    /// <summary>The site's invoices posted to a new QuickBooks company under the same numbers (perhaps the last left out, the one before posted twice).</summary>
    private async Task MirrorInQuickBooksAsync(bool leaveUnmatched)
    {
        (await Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = PaymentScenarioHarness.Token })).EnsureSuccessStatusCode();
        using var quickBooks = new HttpClient { BaseAddress = new Uri(_mesh.SandboxHost.Address(), $"/v3/company/{Realm}/") };
        quickBooks.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", PaymentScenarioHarness.Token);
        var site = (await BooksAsync()).GetProperty("invoices").EnumerateArray().OrderBy(i => i.GetProperty("id").GetInt32()).ToList();
        var customers = new Dictionary<int, string>();
        for (var i = 0; i < site.Count - (leaveUnmatched ? 1 : 0); i++)
        {
            var company = site[i].GetProperty("companyId").GetInt32();
            if (!customers.TryGetValue(company, out var customer))
            {
                var created = await QuickBooksPostAsync(quickBooks, "customer", new { DisplayName = $"ConnectWise company {company}" });
                customers[company] = customer = created.GetProperty("Customer").GetProperty("Id").GetString()!;
            }

            var copies = leaveUnmatched && i == site.Count - 2 ? 2 : 1;
            for (var copy = 0; copy < copies; copy++)
            {
                await QuickBooksPostAsync(quickBooks, "invoice?include=allowduplicatedocnum", new
                {
                    DocNumber = site[i].GetProperty("invoiceNumber").GetString(),
                    CustomerRef = new { value = customer },
                    Line = new[] { new { DetailType = "SalesItemLineDetail", Amount = site[i].GetProperty("total").GetDecimal(),
                        SalesItemLineDetail = new { ItemRef = new { value = "1" } } } },
                });
            }
        }
    }

    private static async Task<JsonElement> QuickBooksPostAsync(HttpClient quickBooks, string path, object body)
    {
        using var response = await quickBooks.PostAsJsonAsync(path, body, PaymentScenarioHarness.QuickBooksJson);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.IsSuccessStatusCode, Is.True, answer.ToString());
        return answer;
    }
}
