using System.Diagnostics;
using System.Globalization;

namespace ReconMesh.Demo;

internal static class DemoCommands
{
    public static int Usage()
    {
        Console.Error.WriteLine("usage: ReconMesh.Demo seed|run --sandbox URL --realm ID --token TOKEN --tenant ID --invoices N");
        return 2;
    }

    public static async Task<int> SeedAsync(DemoOptions options)
    {
        var sandbox = Client(options);
        await sandbox.CreateCompanyAsync(options.Realm, options.Token);
        await sandbox.SeedAsync(options.Realm, Math.Max(1, options.Invoices / 4), options.Invoices);
        Console.WriteLine($"[demo] QuickBooks company {options.Realm}: {options.Invoices} open invoices created in the sandbox");
        return 0;
    }

    public static async Task<int> RunAsync(DemoOptions options)
    {
        var sandbox = Client(options);
        var clock = Stopwatch.StartNew();

        var synced = await WaitAsync(options, "invoices synced to the platform", async () =>
        {
            var known = await sandbox.PlatformInvoicesAsync(options.Tenant);
            return (known.Count(i => i.Balance > 0), options.Invoices);
        });
        if (!synced)
        {
            return 1;
        }

        var syncSeconds = clock.Elapsed.TotalSeconds;
        var platformInvoices = await sandbox.PlatformInvoicesAsync(options.Tenant);
        var pay = await sandbox.PayOpenInvoicesAsync(options.Tenant);
        Console.WriteLine($"[demo] platform: {pay.Payments} customers paid {pay.Total.ToString("N2", CultureInfo.InvariantCulture)} USD by ACH");

        var written = await WaitAsync(options, "payments written back", async () =>
        {
            var payments = await sandbox.PlatformPaymentsAsync(options.Tenant);
            return (payments.Count(p => p.Outcome != "sent"), pay.Payments);
        });

        var books = await sandbox.BooksAsync(options.Realm);
        var outcomes = await sandbox.PlatformPaymentsAsync(options.Tenant);
        var paidByExternalId = await PaidByExternalIdAsync(sandbox, options, platformInvoices);
        var problems = BooksCheck.Differences(books, paidByExternalId);

        Console.WriteLine();
        Console.WriteLine("ReconMesh demo summary");
        Console.WriteLine($"  invoices synced in         {platformInvoices.Count,8}   ({syncSeconds:F1} s)");
        Console.WriteLine($"  payments made              {pay.Payments,8}   {pay.Total.ToString("N2", CultureInfo.InvariantCulture)} USD");
        Console.WriteLine($"  written back to QuickBooks {outcomes.Count(o => o.Outcome == "written-back"),8}");
        Console.WriteLine($"  needing attention          {outcomes.Count(o => o.Outcome == "needs-attention"),8}");
        foreach (var o in outcomes.Where(o => o.Outcome == "needs-attention").Take(10))
        {
            Console.WriteLine($"    - {o.Reason}");
        }

        Console.WriteLine($"  QuickBooks API requests    {books.RequestCount,8}   ({books.ThrottledCount} throttled)");
        Console.WriteLine($"  elapsed                    {clock.Elapsed.TotalSeconds,8:F1} s");
        if (!written)
        {
            problems = [.. problems, "not every payment reached a final outcome in time"];
        }

        foreach (var problem in problems)
        {
            Console.WriteLine($"  MISMATCH {problem}");
        }

        Console.WriteLine(problems.Count == 0 ? "books: OK" : $"books: MISMATCH {problems.Count}");
        return problems.Count == 0 ? 0 : 1;
    }

    private static async Task<Dictionary<string, decimal>> PaidByExternalIdAsync(
        SandboxClient sandbox, DemoOptions options, IReadOnlyList<SandboxClient.PlatformInvoice> platformInvoices)
    {
        // The platform knows invoices by ReconMesh id; the books by QuickBooks id and DocNumber.
        var books = await sandbox.BooksAsync(options.Realm);
        var byNumber = books.Invoices.ToDictionary(i => i.DocNumber, i => i.Id, StringComparer.Ordinal);
        return platformInvoices.Where(i => i.Balance > 0 && byNumber.ContainsKey(i.Number))
            .ToDictionary(i => byNumber[i.Number], i => i.Balance);
    }

    private static async Task<bool> WaitAsync(DemoOptions options, string what, Func<Task<(int Done, int Of)>> progress)
    {
        var deadline = Stopwatch.StartNew();
        var last = -1;
        while (true)
        {
            var (done, of) = await progress();
            if (done != last)
            {
                Console.WriteLine($"[demo] {what}: {done}/{of}");
                last = done;
            }

            if (done >= of)
            {
                return true;
            }

            if (deadline.Elapsed > options.Timeout)
            {
                Console.WriteLine($"[demo] gave up waiting for {what} after {options.Timeout.TotalSeconds:F0} s");
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private static SandboxClient Client(DemoOptions options) =>
        new(new HttpClient { BaseAddress = options.Sandbox, Timeout = TimeSpan.FromSeconds(30) });
}
