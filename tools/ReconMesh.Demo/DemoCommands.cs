using System.Diagnostics;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Security;
using static ReconMesh.Demo.DemoMonth;

namespace ReconMesh.Demo;

/// <summary>
/// A month of six partners' receivables on one machine (<see cref="DemoTenants"/>, <see cref="DemoMonth"/>): a tenant
/// on QuickBooks Online, a tenant whose ConnectWise PSA is paired with QuickBooks, a tenant on Xero, a tenant whose
/// ConnectWise PSA is paired with Xero and two tenants whose Autotask PSA is paired, one with QuickBooks, one with Xero. The months run at once,
/// with a progress line per tenant every two seconds; then each tenant's books are checked entry by entry
/// (<see cref="BooksCheck"/>, <see cref="XeroBooksCheck"/>, <see cref="AutotaskBooksCheck"/>) and a report
/// is printed. The last line is <c>books: OK</c> or <c>books: MISMATCH n</c>.
/// </summary>
internal static class DemoCommands
{
    public static int Usage()
    {
        Console.Error.WriteLine("usage: ReconMesh.Demo seed|run|chaos --sandbox URL --ingest URL --writeback URL --run-id ID --invoices N " +
            "[--timeout-seconds S] [--void-one-by-hand true] [--delete-one-payment-by-hand true]");
        return 2;
    }

    /// <summary>Seeds the sandbox for the run, and prints the services' connection settings (NAME=VALUE lines) on stdout.</summary>
    public static async Task<int> SeedAsync(DemoOptions options)
    {
        var tenants = DemoTenants.For(options.RunId);
        var clock = Stopwatch.StartNew();
        using var http = Http(options.Sandbox);
        await tenants.SeedAsync(new SandboxClient(http), options.Invoices);
        Console.Error.WriteLine($"[demo] sandbox seeded in {clock.Elapsed.TotalSeconds:F1} s: QuickBooks company {tenants.QuickBooks.Realm} " +
            $"({tenants.QuickBooks.Id}) with {options.Invoices} open invoices; ConnectWise site {tenants.ConnectWise.ConnectWise!.CompanyId} " +
            $"({tenants.ConnectWise.Id}) with {options.Invoices}, posted under the same numbers to QuickBooks company {tenants.ConnectWise.Realm}; " +
            $"Xero organisation {tenants.Xero.Xero!.TenantId} ({tenants.Xero.Id}) with {options.Invoices}; ConnectWise site " +
            $"{tenants.ConnectWiseXero.ConnectWise!.CompanyId} ({tenants.ConnectWiseXero.Id}) with {options.Invoices}, raised under the same numbers in " +
            $"Xero organisation {tenants.ConnectWiseXero.Xero!.TenantId}; Autotask database {tenants.Autotask.Autotask!.DatabaseId} ({tenants.Autotask.Id}) " +
            $"with {options.Invoices} or a few more, posted under the same numbers to QuickBooks company {tenants.Autotask.Realm}; Autotask database " +
            $"{tenants.AutotaskXero.Autotask!.DatabaseId} ({tenants.AutotaskXero.Id}) with as many, raised under the same numbers in Xero organisation " +
            $"{tenants.AutotaskXero.Xero!.TenantId}");
        foreach (var setting in tenants.ConnectionSettings(options.Sandbox))
        {
            Console.WriteLine(setting);
        }

        return 0;
    }

    public static async Task<int> RunAsync(DemoOptions options)
    {
        var clock = Stopwatch.StartNew();
        var tenants = DemoTenants.For(options.RunId);
        using var sandboxHttp = Http(options.Sandbox);
        // The services take this machine's tokens (deploy/local/processes.sh); the demo reads its two tenants, nothing more.
        using var key = LocalSigningKey.LoadOrCreate();
        var token = key.Mint("demo", [.. tenants.All.Select(t => t.Id)], [AccessRoles.Read], TimeSpan.FromHours(12));
        using var writebackHttp = Http(options.Writeback, token);
        using var ingestHttp = Http(options.Ingest, token);
        var sandbox = new SandboxClient(sandboxHttp);
        var writeback = new WritebackClient(writebackHttp);
        var months = tenants.All.Select(t => new DemoMonth(t, sandbox, writeback, options)).ToList();

        using var stopProgress = new CancellationTokenSource();
        var progress = Task.Run(() => new DemoProgress(months, sandbox, writeback, ingestHttp, options.Invoices).RunAsync(stopProgress.Token));
        await Task.WhenAll(months.Select(m => Task.Run(m.RunAsync)));
        await stopProgress.CancelAsync();
        await progress;

        var problems = new List<(string Subject, string Problem)>();
        Console.WriteLine();
        Console.WriteLine("ReconMesh demo report");
        foreach (var month in months)
        {
            var psa = month.Tenant.ConnectWise is { } site ? await sandbox.ConnectWiseBooksAsync(site.CompanyId) : null;
            var payouts = (await sandbox.PlatformPayoutsAsync(month.Tenant.Id)).ToList();
            var books = await DemoBooks.ReadAsync(month, sandbox, psa, payouts);
            problems.AddRange(books.Problems);
            problems.AddRange(month.Errors.Select(e => (month.Tenant.Id, $"{month.Tenant.Id}: {e}")));
            await ReportAsync(month, books, psa, payouts, writeback);
            var mismatches = books.Problems.Select(p => p.Subject).Concat(month.Errors.Select(_ => month.Tenant.Id)).Distinct(StringComparer.Ordinal).Count();
            Console.WriteLine($"    books check {(mismatches == 0 ? "OK" : $"MISMATCH {mismatches}")}: {books.Name} entry by entry" +
                (psa is null ? "" : ", ConnectWise invoice by invoice") + (month.Tenant.Autotask is null ? "" : ", Autotask's paid marks invoice by invoice"));
        }

        Totals(months);
        Console.WriteLine($"  elapsed                           {clock.Elapsed.TotalSeconds,8:F1} s (from the services ready to the books checked)");
        foreach (var (_, problem) in problems)
        {
            Console.WriteLine($"  MISMATCH {problem}");
        }

        // Counted by entry: one payment deleted behind the mesh's back is one mismatch, however many lines show it.
        var entries = problems.Select(p => p.Subject).Distinct(StringComparer.Ordinal).Count();
        Console.WriteLine(entries == 0 ? "books: OK" : $"books: MISMATCH {entries}");
        return entries == 0 ? 0 : 1;
    }

    private static async Task ReportAsync(DemoMonth month, DemoBooks books, SandboxClient.CwBooks? psa,
        List<SandboxClient.PlatformPayout> payouts, WritebackClient writeback)
    {
        var tenant = month.Tenant;
        var paid = month.Payments;
        var states = await writeback.StatesAsync(tenant.Id);
        var exceptions = await writeback.ExceptionsAsync(tenant.Id);
        var deposited = payouts.Where(p => p.Outcome == "deposited").ToList();
        var settled = BooksCheck.Settled(deposited);
        var reversedLate = paid.Where(p => p.ReversedLate is not null).ToList();
        var waiting = paid.Where(p => p.Kept && p.Plan.Day == Sandbox.Platform.MonthOfPayments.Days - 1).ToList();
        var takenBack = deposited.Sum(p => p.Payout.TryGetProperty("reversals", out var r) ? r.EnumerateArray().Sum(x => x.GetProperty("amount").GetDecimal()) : 0m);

        var ofBooks = tenant.Xero is { } organisation ? $"Xero (organisation {organisation.TenantId})" : $"QuickBooks Online (company {tenant.Realm})";
        Console.WriteLine(tenant switch
        {
            { ConnectWise: { } site } => $"  tenant {tenant.Id}: ConnectWise PSA (site {site.CompanyId}) paired with {ofBooks}",
            { Autotask: { } database } => $"  tenant {tenant.Id}: Autotask PSA (database {database.DatabaseId}) paired with {ofBooks}",
            _ => $"  tenant {tenant.Id}: {ofBooks}",
        });
        Line("invoices synced in", paid.Select(p => p.Plan.InvoiceIndex).Distinct().Count(), $"({month.SyncSeconds:F1} s)");
        Line("payments taken by the platform", paid.Count, $"{Money(paid.Sum(p => p.Plan.Charged))} USD: {Count(PaymentMethod.Ach, false)} ACH, " +
            $"{Count(PaymentMethod.Card, false)} card with the fee absorbed, {Count(PaymentMethod.Card, true)} card with the fee passed on as a surcharge, " +
            $"{Count(PaymentMethod.Installments, false)} in installments; {paid.GroupBy(p => p.Plan.InvoiceIndex).Count(g => g.Count() > 1)} invoices paid in two parts");
        Console.WriteLine("    outcomes (the WritebackService's payment states)");
        foreach (var (state, count) in states.States.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            Line($"  {state}", count, state switch
            {
                "Applied" => "written back and still there",
                "Reversed" => "written back, then returned, refunded or charged back, and reverted",
                "NeedsAttention" => "in the exceptions queue",
                _ => "",
            });
        }

        Line("ACH returned before payout", paid.Count(p => p.ReturnedEarly), books.ReturnedEarly);
        Line("reversed after deposit", reversedLate.Count, $"({Kind(PaymentReversalKind.Refunded)} refunds, {Kind(PaymentReversalKind.Failed)} late ACH return, " +
            $"{Kind(PaymentReversalKind.ChargedBack)} chargebacks: {books.ReversedLate})");
        Line("payouts", payouts.Count, $"{Money(payouts.Sum(p => p.Payout.GetProperty("amount").GetDecimal()))} USD, one each business day but the last");
        Line(books.Name == "Xero" ? "  transfers to the bank recorded" : "  deposits recorded", books.Deposits, $"{Money(books.Deposited)} USD ({deposited.Count} payouts deposited, " +
            $"{payouts.Count(p => p.Outcome != "deposited")} not); fees {Money(settled.Where(s => s.Surcharge == 0m).Sum(s => s.Fee))} USD " +
            $"absorbed and {Money(settled.Where(s => s.Surcharge > 0m).Sum(s => s.Fee))} USD paid by surcharges, on their own lines; " +
            $"{Money(takenBack)} USD of reversals taken back");
        Line("  not paid out yet", waiting.Count, $"payments of the last day, {Money(waiting.Sum(p => p.Plan.Charged))} USD {books.Waiting} for tomorrow's payout");
        Line("exceptions (need a person)", exceptions.Count + payouts.Count(p => p.Outcome == "needs-attention"), "");
        foreach (var exception in exceptions)
        {
            var invoice = paid.FirstOrDefault(p => p.PaymentId == exception.PaymentId)?.Plan.Invoice.Number;
            Console.WriteLine($"      - payment {exception.PaymentId} (invoice {invoice}): {exception.ReasonCode}: {exception.Reason}");
        }

        foreach (var payout in payouts.Where(p => p.Outcome == "needs-attention"))
        {
            Console.WriteLine($"      - payout {payout.Payout.GetProperty("payoutId").GetString()}: {payout.Reason}");
        }

        // What a person would have keyed: in QuickBooks a Payment matched to its invoice per payment (3 min), a surcharge
        // invoice per surcharged payment (2 min), a void or a reinstatement invoice per reversal (5 min), a deposit per
        // payout with its fees and reversals split out and matched to the bank feed (10 min); in a paired ConnectWise
        // also the invoice payment and its status per payment (2 min) and its removal per reversal (2 min); in a paired
        // Autotask the paid date set per invoice paid in full and cleared per reversal (1 min each).
        var work = Work(month, books.Deposits);
        Line("manual work replaced", work.Entries, $"entries a person would have keyed, about {work.Minutes / 60.0:F1} h: {work.Detail}");
        Line($"{books.Name} API requests", books.Requests, $"({books.Throttled} throttled)" +
            (psa is null ? "" : $"; ConnectWise API requests {psa.RequestCount} ({psa.ThrottledCount} throttled)"));

        int Count(PaymentMethod method, bool surcharged) => paid.Count(p => p.Plan.Method == method && p.Plan.PassFeeToCustomer == surcharged);
        int Kind(PaymentReversalKind kind) => reversedLate.Count(p => p.ReversedLate == kind);
    }

    public sealed record ManualWork(int Entries, int Minutes, string Detail);

    public static ManualWork Work(DemoMonth month, int deposits)
    {
        var written = month.Payments.Count(p => p.WrittenBack);
        var surcharges = month.Payments.Count(p => p.WrittenBack && p.Plan.PassFeeToCustomer);
        var reversals = month.Payments.Count(p => p.ReturnedEarly || p.ReversedLate is not null);
        var psa = month.Tenant.ConnectWise is not null;
        var marked = month.Tenant.Autotask is null ? 0 : month.Payments.Where(p => p.WrittenBack).Select(p => p.Plan.InvoiceIndex).Distinct().Count();
        var cleared = month.Tenant.Autotask is null ? 0 : reversals;
        var entries = written + surcharges + reversals + deposits + (psa ? written + reversals : 0) + marked + cleared;
        var minutes = 3 * written + 2 * surcharges + 5 * reversals + 10 * deposits + (psa ? 2 * written + 2 * reversals : 0) + marked + cleared;
        var detail = $"{written} payments keyed and matched (3 min each), {surcharges} surcharge invoices (2), {reversals} voids or reinstatements (5), " +
            $"{deposits} deposits split and matched to the bank feed (10)" +
            (psa ? $"; in ConnectWise {written} invoice payments and statuses (2) and {reversals} removed (2)" : "") +
            (marked > 0 ? $"; in Autotask {marked} paid dates set (1) and {cleared} cleared (1)" : "");
        return new ManualWork(entries, minutes, detail);
    }

    private static void Totals(IReadOnlyList<DemoMonth> months)
    {
        var invoices = months.Sum(m => m.Payments.Select(p => p.Plan.InvoiceIndex).Distinct().Count());
        var payments = months.Sum(m => m.Payments.Count);
        var minutes = months.Sum(m => Work(m, m.PayoutIds.Count).Minutes);
        var entries = months.Sum(m => Work(m, m.PayoutIds.Count).Entries);
        Console.WriteLine($"  all tenants: {invoices} invoices, {payments} payments, {months.Sum(m => m.PayoutIds.Count)} payouts; " +
            $"manual work replaced: {entries} entries, about {minutes / 60.0:F1} h (assumptions above)");
    }

    private static void Line(string what, long count, string detail) => Console.WriteLine($"    {what,-34}{count,7}   {detail}");

    private static HttpClient Http(Uri baseAddress, string? token = null)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }
}
