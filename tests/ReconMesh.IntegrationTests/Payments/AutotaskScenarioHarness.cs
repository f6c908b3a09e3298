using System.Net.Http.Json;
using System.Text.Json;
using ReconMesh.Contracts.Invoices;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.IntegrationTests.SyncIn;

namespace ReconMesh.IntegrationTests.Payments;

/// <summary>The accounting system an Autotask tenant's money is booked in.</summary>
public enum AutotaskBooks
{
    QuickBooksOnline,
    Xero,
}

/// <summary>
/// The mesh as it runs (sandbox, PaymentEvents, WritebackService, InvoiceIngest) on a real RabbitMQ and PostgreSQL,
/// with one tenant whose Autotask database is paired with the accounting system its Autotask-to-accounting sync posted
/// the same invoices to (the sandbox's mirror): QuickBooks Online or Xero, which takes the payments and the payouts.
/// </summary>
public sealed class AutotaskScenarioHarness : PlatformScenario, IAsyncDisposable
{
    public const string Realm = "9130000000000888";

    private Mesh _mesh = null!;

    public AutotaskSandbox Autotask { get; private set; } = null!;

    /// <summary>The paired accounting connection.</summary>
    public Guid SecondaryConnectionId { get; } = Guid.NewGuid();

    /// <summary>The paired Xero organisation (with <see cref="AutotaskBooks.Xero"/>).</summary>
    public XeroSandbox? Xero { get; private set; }

    public AutotaskBooks Books { get; private set; }

    /// <summary>
    /// Starts the mesh on a new Autotask database of <paramref name="invoices"/> open invoices (five companies), mirrored in
    /// <paramref name="books"/> but for the last (<paramref name="leaveUnmatched"/>); the database's and the connection's
    /// request limits are off but for Autotask's three calls at once (a scenario's rules are the point here; the hourly
    /// budget is the bench's).
    /// </summary>
    public static async Task<AutotaskScenarioHarness> StartAsync(int invoices, AutotaskBooks books, bool leaveUnmatched = true)
    {
        var harness = new AutotaskScenarioHarness { Books = books };
        await harness.StartInternalAsync(invoices, leaveUnmatched);
        return harness;
    }

    private async Task StartInternalAsync(int invoices, bool leaveUnmatched)
    {
        _mesh = await Mesh.StartSandboxAsync();
        Sandbox = _mesh.Sandbox;
        PlatformBus = _mesh.PlatformBus;
        Autotask = await AutotaskSandbox.CreateAsync(Sandbox);
        await Autotask.SetLimitsAsync(requestsPerHour: 0, threadsPerEndpoint: 3);
        await Autotask.SeedAsync(seed: 11, companies: 5, invoicesPerCompany: (invoices + 4) / 5, paidRate: 0, voidedRate: 0);
        var numbers = (await Autotask.InvoicesAsync()).OrderBy(i => i.GetProperty("id").GetInt64()).Select(i => i.GetProperty("invoiceNumber").GetString()!).ToList();
        string[] leaveOut = leaveUnmatched ? [numbers[^1]] : [];

        var connection = Connection(ConnectionId, Tenant, _mesh.SandboxHost.Address(), Autotask, "00:00:00.500");
        connection["ReconMesh:Connections:0:SecondaryConnectionId"] = SecondaryConnectionId.ToString();
        IReadOnlyDictionary<string, string?> secondary;
        if (Books == AutotaskBooks.QuickBooksOnline)
        {
            (await Sandbox.PostAsJsonAsync("/admin/qbo/companies", new { realmId = Realm, accessToken = PaymentScenarioHarness.Token })).EnsureSuccessStatusCode();
            (await Sandbox.PostAsJsonAsync($"/admin/qbo/companies/{Realm}/mirror-autotask", new { databaseId = Autotask.DatabaseId, leaveOut }))
                .EnsureSuccessStatusCode();
            secondary = _mesh.QuickBooksConnection(SecondaryConnectionId, Tenant, Realm, PaymentScenarioHarness.Token, "00:00:01",
                PaymentScenarioHarness.CheckingAccountId);
        }
        else
        {
            Xero = await XeroSandbox.CreateAsync(Sandbox, _mesh.SandboxHost.Address());
            (await Sandbox.PostAsJsonAsync(Xero.AdminPath("mirror-autotask"), new { databaseId = Autotask.DatabaseId, leaveOut })).EnsureSuccessStatusCode();
            secondary = await Xero.WithDepositsAsync(Xero.Connection(SecondaryConnectionId, Tenant, "00:00:01"));
        }

        foreach (var (key, value) in secondary)
        {
            connection[key.Replace(":Connections:0:", ":Connections:1:", StringComparison.Ordinal)] = value;
        }

        await _mesh.StartServicesAsync(connection);
        Writeback = TestAuth.Operator(_mesh.Writeback.Address(), Tenant);
        await UntilInvoicesSyncedAsync(_mesh.Writeback, numbers.Count);
    }

    /// <summary>The settings of an Autotask connection (index 0) to a database of the sandbox, its zone looked up by user there.</summary>
    public static Dictionary<string, string?> Connection(Guid id, string tenant, Uri sandbox, AutotaskSandbox database, string pollInterval) => new()
    {
        ["ReconMesh:Connections:0:RequestsPerMinute"] = "0",
        ["ReconMesh:Connections:0:MaxConcurrent"] = "3",
        ["ReconMesh:Connections:0:Id"] = id.ToString(),
        ["ReconMesh:Connections:0:TenantId"] = tenant,
        ["ReconMesh:Connections:0:Kind"] = "AutotaskPsa",
        ["ReconMesh:Connections:0:BaseUrl"] = sandbox.ToString(),
        ["ReconMesh:Connections:0:UserName"] = database.UserName,
        ["ReconMesh:Connections:0:Secret"] = database.Secret,
        ["ReconMesh:Connections:0:IntegrationCode"] = database.IntegrationCode,
        ["ReconMesh:Connections:0:PollInterval"] = pollInterval,
    };

    public async ValueTask DisposeAsync()
    {
        Writeback?.Dispose();
        await _mesh.DisposeAsync();
    }

    /// <summary>The Autotask invoice as the database holds it (paidDate, webServiceDate, isVoided).</summary>
    public Task<JsonElement> AutotaskInvoiceAsync(InvoiceSynced invoice) => Autotask.InvoiceAsync(invoice.ExternalId);

    /// <summary>The invoice's paid date in Autotask, or null while it is open.</summary>
    public async Task<string?> PaidDateAsync(InvoiceSynced invoice) =>
        (await AutotaskInvoiceAsync(invoice)).GetProperty("paidDate") is { ValueKind: JsonValueKind.String } paid ? paid.GetString() : null;

    /// <summary>What the paired books say the invoice of the same number still owes, and how many live payments it has there.</summary>
    public async Task<(decimal Owed, int Payments)> BooksInvoiceAsync(InvoiceSynced invoice)
    {
        if (Xero is { } xero)
        {
            var books = await xero.BooksAsync();
            var twin = books.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("invoiceNumber").GetString() == invoice.Number);
            return (twin.GetProperty("amountDue").GetDecimal(), XeroSandbox.PaymentsFor(books, twin.GetProperty("invoiceId").GetString()!).Count);
        }

        var company = await QuickBooksBooksAsync();
        var invoiceInBooks = company.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("docNumber").GetString() == invoice.Number);
        return (invoiceInBooks.GetProperty("balance").GetDecimal(),
            PaymentScenarioHarness.LivePaymentsFor(company, invoiceInBooks.GetProperty("id").GetString()!).Count);
    }

    /// <summary>The paired QuickBooks company's books.</summary>
    public async Task<JsonElement> QuickBooksBooksAsync() => await Sandbox.GetFromJsonAsync<JsonElement>($"/admin/qbo/companies/{Realm}/books");

    /// <summary>How many payments the paired books hold in all.</summary>
    public async Task<int> BooksPaymentCountAsync() =>
        (Xero is { } xero ? await xero.BooksAsync() : await QuickBooksBooksAsync()).GetProperty("payments").GetArrayLength();
}
