using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ReconMesh.Demo;

/// <summary>
/// A month of a partner's receivables on one machine: every open invoice gets paid on the platform over twenty
/// business days (ACH, card, pay in installments, some in two partial payments), two ACH payments come back
/// returned after they were booked, each day but the last is paid out, and then the sandbox's books are checked
/// against what the platform did, entry by entry.
/// </summary>
internal static class DemoCommands
{
    private const int Days = 20;

    public static int Usage()
    {
        Console.Error.WriteLine("usage: ReconMesh.Demo seed|run|chaos --sandbox URL --realm ID --token TOKEN --tenant ID --invoices N " +
            "[--void-one-by-hand true] [--delete-one-payment-by-hand true]");
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
        if (!await WaitAsync(options, "invoices synced to the platform", async () =>
            ((await sandbox.PlatformInvoicesAsync(options.Tenant)).Count(i => i.Balance > 0), options.Invoices)))
        {
            return 1;
        }

        var syncSeconds = clock.Elapsed.TotalSeconds;
        var invoices = (await sandbox.PlatformInvoicesAsync(options.Tenant)).OrderBy(i => i.Number, StringComparer.Ordinal).ToList();
        var booksBefore = await sandbox.BooksAsync(options.Realm);
        var externalIdByNumber = booksBefore.Invoices.ToDictionary(i => i.DocNumber, i => i.Id, StringComparer.Ordinal);

        string? voidedByHand = null;
        if (options.VoidOneByHand)
        {
            // A person voids an invoice in QuickBooks while its customer is paying it on the platform.
            voidedByHand = externalIdByNumber[invoices[0].Number];
            await sandbox.VoidInvoiceByHandAsync(options.Realm, options.Token, voidedByHand);
            Console.WriteLine($"[demo] a person voided invoice {invoices[0].Number} in QuickBooks by hand");
        }

        var ledger = new DemoLedger();
        for (var i = 0; i < invoices.Count; i++)
        {
            var invoice = invoices[i];
            var day = i * Days / invoices.Count;
            var externalId = externalIdByNumber[invoice.Number];
            if (i % 10 == 3)
            {
                var first = decimal.Round(invoice.Total * 0.4m, 2, MidpointRounding.AwayFromZero);
                ledger.Add(day, externalId, await sandbox.PayAsync(options.Tenant, "Card", [(invoice.InvoiceId, first)]));
                ledger.Add(Math.Min(Days - 1, day + 1), externalId, await sandbox.PayAsync(options.Tenant, "Ach", [(invoice.InvoiceId, invoice.Total - first)]));
            }
            else
            {
                var method = i % 20 == 9 ? "Installments" : i % 4 == 1 ? "Card" : "Ach";
                ledger.Add(day, externalId, await sandbox.PayAsync(options.Tenant, method, [(invoice.InvoiceId, invoice.Total)]));
            }
        }

        Console.WriteLine($"[demo] platform: {ledger.Payments.Count} payments, {ledger.Payments.Sum(p => p.Amount).ToString("N2", CultureInfo.InvariantCulture)} USD");
        var settled = await WaitAsync(options, "payments written back", async () =>
            ((await sandbox.PlatformPaymentsAsync(options.Tenant)).Count(p => p.Outcome != "sent"), ledger.Payments.Count));

        // Two ACH payments come back returned after they were booked.
        var outcomes = (await sandbox.PlatformPaymentsAsync(options.Tenant)).ToDictionary(p => p.Payment.GetProperty("paymentId").GetString()!);
        foreach (var returned in ledger.Payments.Where(p => p.Method == "Ach" && outcomes[p.PaymentId].Outcome == "written-back").Take(2))
        {
            await sandbox.FailAsync(options.Tenant, returned.PaymentId);
            returned.Returned = true;
        }

        settled &= await WaitAsync(options, "ACH returns reverted", async () =>
            ((await sandbox.PlatformPaymentsAsync(options.Tenant)).Count(p => p.Outcome == "reverted"), ledger.Payments.Count(p => p.Returned)));

        // The platform pays out each day but the last; the last day's payments wait in Undeposited Funds for tomorrow.
        outcomes = (await sandbox.PlatformPaymentsAsync(options.Tenant)).ToDictionary(p => p.Payment.GetProperty("paymentId").GetString()!);
        var payouts = new List<(JsonElement Payout, IReadOnlyList<DemoLedger.Payment> Payments)>();
        for (var day = 0; day < Days - 1; day++)
        {
            var settling = ledger.Payments.Where(p => p.Day == day && !p.Returned && outcomes[p.PaymentId].Outcome == "written-back").ToList();
            if (settling.Count > 0)
            {
                payouts.Add((await sandbox.PayOutAsync(options.Tenant, [.. settling.Select(p => p.PaymentId)]), settling));
            }
        }

        settled &= await WaitAsync(options, "payouts deposited", async () =>
            ((await sandbox.PlatformPayoutsAsync(options.Tenant)).Count(p => p.Outcome != "sent"), payouts.Count));

        string? deletedByHand = null;
        if (options.DeleteOnePaymentByHand)
        {
            // Behind the mesh's back: a person deletes a booked (not yet deposited) payment in QuickBooks.
            var books = await sandbox.BooksAsync(options.Realm);
            deletedByHand = books.Payments.First(p => !p.Deleted && !p.Voided && p.DepositId is null && p.PrivateNote?.Contains("ReconMesh", StringComparison.Ordinal) == true).Id;
            await sandbox.DeletePaymentByHandAsync(options.Realm, options.Token, deletedByHand);
            Console.WriteLine($"[demo] a person deleted QuickBooks Payment {deletedByHand} by hand");
        }

        var final = await sandbox.BooksAsync(options.Realm);
        var platformPayments = await sandbox.PlatformPaymentsAsync(options.Tenant);
        var platformPayouts = await sandbox.PlatformPayoutsAsync(options.Tenant);
        var problems = BooksCheck.Differences(booksBefore, final, ledger, platformPayments, platformPayouts, voidedByHand);
        if (!settled)
        {
            problems = [.. problems, ("run", "not every payment or payout reached a final outcome in time")];
        }

        Report(options, ledger, platformPayments, platformPayouts, final, syncSeconds, clock.Elapsed);
        foreach (var (_, problem) in problems)
        {
            Console.WriteLine($"  MISMATCH {problem}");
        }

        // Counted by entry: one payment deleted behind the mesh's back is one mismatch, however many lines show it.
        var entries = problems.Select(p => p.Subject).Distinct(StringComparer.Ordinal).Count();
        Console.WriteLine(entries == 0 ? "books: OK" : $"books: MISMATCH {entries}");
        return entries == 0 ? 0 : 1;
    }

    private static void Report(DemoOptions options, DemoLedger ledger, IReadOnlyList<SandboxClient.PlatformPayment> payments,
        IReadOnlyList<SandboxClient.PlatformPayout> payouts, SandboxClient.Books books, double syncSeconds, TimeSpan elapsed)
    {
        string Money(decimal amount) => amount.ToString("N2", CultureInfo.InvariantCulture);
        var byOutcome = payments.GroupBy(p => p.Outcome).ToDictionary(g => g.Key, g => g.Count());
        var deposited = payouts.Where(p => p.Outcome == "deposited").ToList();
        var fees = deposited.Sum(p => p.Payout.GetProperty("payments").EnumerateArray().Sum(x => x.GetProperty("fee").GetDecimal()));
        Console.WriteLine();
        Console.WriteLine("ReconMesh demo report");
        Console.WriteLine($"  invoices synced in              {options.Invoices,8}   ({syncSeconds:F1} s)");
        Console.WriteLine($"  payments taken by the platform  {ledger.Payments.Count,8}   {Money(ledger.Payments.Sum(p => p.Amount))} USD " +
            $"({ledger.Payments.Count(p => p.Method == "Ach")} ACH, {ledger.Payments.Count(p => p.Method == "Card")} card, " +
            $"{ledger.Payments.Count(p => p.Method == "Installments")} installments)");
        foreach (var (outcome, count) in byOutcome.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"    {outcome,-30}{count,8}");
        }

        Console.WriteLine($"  payouts                         {payouts.Count,8}   {Money(payouts.Sum(p => p.Payout.GetProperty("amount").GetDecimal()))} USD");
        Console.WriteLine($"    deposited in QuickBooks       {deposited.Count,8}   {Money(books.Deposits.Sum(d => d.TotalAmt))} USD in {books.Deposits.Count} deposits; fees {Money(fees)} USD on their own lines");
        Console.WriteLine("  exceptions (need a person)");
        foreach (var exception in payments.Where(p => p.Outcome == "needs-attention").Concat(
                     payouts.Where(p => p.Outcome == "needs-attention").Select(p => new SandboxClient.PlatformPayment(p.Payout, p.Outcome, p.Reason))))
        {
            Console.WriteLine($"    - {exception.Reason}");
        }

        // Assumptions: keying and matching one payment by hand takes 3 minutes, one deposit 10, one reversal 5.
        var minutes = 3 * byOutcome.GetValueOrDefault("written-back") + 3 * byOutcome.GetValueOrDefault("reverted")
            + 5 * byOutcome.GetValueOrDefault("reverted") + 10 * deposited.Count;
        Console.WriteLine($"  manual work replaced            {minutes / 60.0,8:F1} h   (3 min a payment keyed and matched, 5 a return reverted, 10 a deposit)");
        Console.WriteLine($"  QuickBooks API requests         {books.RequestCount,8}   ({books.ThrottledCount} throttled)");
        Console.WriteLine($"  elapsed                         {elapsed.TotalSeconds,8:F1} s");
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

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static SandboxClient Client(DemoOptions options) =>
        new(new HttpClient { BaseAddress = options.Sandbox, Timeout = TimeSpan.FromSeconds(30) });
}
