using System.Diagnostics;
using System.Globalization;
using ReconMesh.Contracts.Payments;
using ReconMesh.Sandbox.Platform;
using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.Demo;

/// <summary>
/// One tenant's month (<see cref="MonthOfPayments"/>, the plan the month-long integration test runs too), driven
/// through the sandbox's payment platform and observed through the WritebackService's API: the invoices sync in;
/// customers pay all of them; two ACH payments are returned before their payout; each day but the last
/// is paid out, and the payouts take back the refunds, the late ACH return and the chargebacks made after deposit; the
/// last day's payments wait in Undeposited Funds (in Xero: the clearing account) for tomorrow's payout. Xero takes no
/// surcharges yet, so a Xero tenant's card payments absorb their fees.
/// </summary>
internal sealed class DemoMonth(DemoTenants.Tenant tenant, SandboxClient sandbox, WritebackClient writeback, DemoOptions options)
{
    /// <summary>One payment of the month and what became of it.</summary>
    public sealed class Paid(MonthOfPayments.Payment plan, string paymentId, string booksInvoiceId, string? psaInvoiceId)
    {
        public MonthOfPayments.Payment Plan { get; } = plan;

        public string PaymentId { get; } = paymentId;

        /// <summary>The QuickBooks or Xero invoice it pays (in paired books: the one of the same number).</summary>
        public string BooksInvoiceId { get; } = booksInvoiceId;

        /// <summary>The PSA's invoice it pays (ConnectWise or Autotask), when a PSA keeps the invoices.</summary>
        public string? PsaInvoiceId { get; } = psaInvoiceId;

        /// <summary>Written back (not refused into the exceptions queue).</summary>
        public bool WrittenBack { get; set; }

        public bool ReturnedEarly { get; set; }

        public PaymentReversalKind? ReversedLate { get; set; }

        /// <summary>Booked and paid out (in QuickBooks a payment reversed after deposit stays, reinstated by an invoice; in Xero it is deleted).</summary>
        public bool Kept => WrittenBack && !ReturnedEarly;

        /// <summary>Reduces what the customer owes.</summary>
        public bool Stayed => Kept && ReversedLate is null;
    }

    public DemoTenants.Tenant Tenant => tenant;

    public List<Paid> Payments { get; } = [];

    public List<string> PayoutIds { get; } = [];

    public SandboxClient.Books? QuickBooksBefore { get; private set; }

    public SandboxClient.CwBooks? ConnectWiseBefore { get; private set; }

    /// <summary>The Xero organisation's books before the month, for a tenant on Xero.</summary>
    public SandboxClient.XeroBooks? XeroBefore { get; private set; }

    public double SyncSeconds { get; private set; }

    /// <summary>The QuickBooks invoice a person voided by hand (<c>--void-one-by-hand</c>), and its number.</summary>
    public (string Id, string Number)? VoidedByHand { get; private set; }

    public string? DeletedByHand { get; private set; }

    /// <summary>What the month is doing now, for the progress display.</summary>
    public string Phase { get; private set; } = "waiting for the invoices to sync";

    public List<string> Errors { get; } = [];

    public async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var synced = await UntilAsync("invoices synced to the platform", async () =>
        {
            var open = (await sandbox.PlatformInvoicesAsync(tenant.Id)).Where(i => i.Balance > 0).ToList();
            return open.Count >= options.Invoices ? open : null;
        });
        if (synced is null)
        {
            return;
        }

        SyncSeconds = clock.Elapsed.TotalSeconds;
        Say($"{synced.Count} invoices synced in {SyncSeconds:F1} s");
        var invoices = synced.OrderBy(i => i.Number, StringComparer.Ordinal).ToList();
        ConnectWiseBefore = tenant.ConnectWise is { } site ? await sandbox.ConnectWiseBooksAsync(site.CompanyId) : null;
        var booksIds = await BooksInvoiceIdsAsync();
        var month = MonthOfPayments.Plan([.. invoices.Select(i => new MonthOfPayments.Invoice(i.InvoiceId, i.Number, i.Total))], surcharges: tenant.Xero is null);
        Payments.AddRange(month.Payments.Select(p => new Paid(p, $"pay_{p.Sequence:D5}", booksIds[p.Invoice.Number],
            tenant.ConnectWise is null && tenant.Autotask is null ? null : invoices[p.InvoiceIndex].ExternalId)));

        if (options.VoidOneByHand && tenant is { ConnectWise: null, Xero: null, Autotask: null })
        {
            // A person voids an invoice in QuickBooks while its customer is paying it on the platform (one the month
            // neither returns nor reverses, so the exception is the only thing that happens to it).
            var reversed = month.ReturnedEarly.Concat(month.ReversedLate.Select(r => r.Payment)).Select(p => p.InvoiceIndex).ToHashSet();
            var voided = Payments.First(p => !reversed.Contains(p.Plan.InvoiceIndex));
            await sandbox.VoidInvoiceByHandAsync(tenant.Realm, tenant.Token, voided.BooksInvoiceId);
            VoidedByHand = (voided.BooksInvoiceId, voided.Plan.Invoice.Number);
            Say($"a person voided invoice {voided.Plan.Invoice.Number} in QuickBooks by hand");
        }

        Phase = "customers paying";
        await Parallel.ForEachAsync(Payments, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (p, _) =>
            await sandbox.PayAsync(tenant.Id, p.Plan.Method.ToString(), [(p.Plan.Invoice.InvoiceId, p.Plan.Amount)], p.PaymentId, p.Plan.Fee,
                p.Plan.PassFeeToCustomer));
        Say($"the platform took {Payments.Count} payments, {Money(Payments.Sum(p => p.Plan.Charged))} USD");

        Phase = "payments being written back";
        if (await UntilAsync("payments written back", async () =>
                await writeback.StatesAsync(tenant.Id) is { } s && s.Payments >= Payments.Count && s.OnTheirWay == 0 ? s : null) is null)
        {
            return;
        }

        var refused = (await writeback.ExceptionsAsync(tenant.Id)).Select(e => e.PaymentId).ToHashSet(StringComparer.Ordinal);
        foreach (var p in Payments)
        {
            p.WrittenBack = !refused.Contains(p.PaymentId);
        }

        Phase = "ACH returns before payout";
        var returned = month.ReturnedEarly.Select(p => Payments[p.Sequence]).Where(p => p.WrittenBack).ToList();
        foreach (var p in returned)
        {
            await sandbox.FailAsync(tenant.Id, p.PaymentId, "R01", "Insufficient funds (ACH return)");
            p.ReturnedEarly = true;
        }

        if (!await UntilReversedAsync(returned, "ACH returns reverted"))
        {
            return;
        }

        // Each day but the last is paid out; a payout takes back the payments reversed since their own payout. The
        // platform pays out no negative amount: when a day's payments do not cover what it takes back, the next one does.
        var carried = new List<(Paid Paid, PaymentReversalKind Kind)>();
        for (var day = 0; day < MonthOfPayments.Days - 1; day++)
        {
            Phase = $"day {day + 1} of {MonthOfPayments.Days}: reversals and payout";
            var reversals = month.TakenBackOn(day).Select(r => (Paid: Payments[r.Payment.Sequence], r.Kind)).Where(r => r.Paid.Kept).ToList();
            foreach (var (p, kind) in reversals)
            {
                await (kind switch
                {
                    PaymentReversalKind.Refunded => sandbox.RefundAsync(tenant.Id, p.PaymentId),
                    PaymentReversalKind.ChargedBack => sandbox.ChargeBackAsync(tenant.Id, p.PaymentId),
                    _ => sandbox.FailAsync(tenant.Id, p.PaymentId, "R10", "Customer advises not authorized (late ACH return)"),
                });
                p.ReversedLate = kind;
            }

            if (!await UntilReversedAsync([.. reversals.Select(r => r.Paid)], $"day {day + 1}: reversals after deposit reverted"))
            {
                return;
            }

            var takenBack = carried.Concat(reversals).ToList();
            var settling = month.PaidOutOn(day).Select(p => Payments[p.Sequence]).Where(p => p.Kept).ToList();
            if (settling.Sum(p => p.Plan.Charged - p.Plan.Fee) <= takenBack.Sum(r => r.Paid.Plan.Charged))
            {
                carried = takenBack;
                continue;
            }

            carried = [];
            var payout = await sandbox.PayOutAsync(tenant.Id, [.. settling.Select(p => p.PaymentId)],
                [.. takenBack.Select(r => (r.Paid.PaymentId, r.Kind.ToString()))]);
            var payoutId = payout.GetProperty("payoutId").GetString()!;
            PayoutIds.Add(payoutId);
            if (await UntilAsync($"day {day + 1}: payout deposited", async () =>
                    (await sandbox.PlatformPayoutsAsync(tenant.Id)).FirstOrDefault(p => p.Payout.GetProperty("payoutId").GetString() == payoutId && p.Outcome != "sent"))
                is null)
            {
                return;
            }
        }

        Phase = "done";
        if (options.DeleteOnePaymentByHand && tenant is { ConnectWise: null, Xero: null, Autotask: null })
        {
            // Behind the mesh's back: a person deletes a booked (not yet deposited) payment in QuickBooks.
            var books = await sandbox.BooksAsync(tenant.Realm);
            DeletedByHand = books.Payments.First(p => !p.Deleted && !p.Voided && p.DepositId is null
                && p.PrivateNote?.Contains("ReconMesh", StringComparison.Ordinal) == true).Id;
            await sandbox.DeletePaymentByHandAsync(tenant.Realm, tenant.Token, DeletedByHand);
            Say($"a person deleted QuickBooks Payment {DeletedByHand} by hand");
        }
    }

    /// <summary>The books' invoices by number (QuickBooks' DocNumber, Xero's InvoiceNumber), voided and deleted ones left out, as they were before the month.</summary>
    private async Task<Dictionary<string, string>> BooksInvoiceIdsAsync()
    {
        if (tenant.Xero is { } organisation)
        {
            XeroBefore = await sandbox.XeroBooksAsync(organisation.TenantId);
            return XeroBefore.Invoices.Where(i => i.Status is not ("VOIDED" or "DELETED")).ToDictionary(i => i.InvoiceNumber, i => i.InvoiceId, StringComparer.Ordinal);
        }

        QuickBooksBefore = await sandbox.BooksAsync(tenant.Realm);
        return QuickBooksBefore.Invoices.Where(i => !i.Voided && !i.Deleted).ToDictionary(i => i.DocNumber, i => i.Id, StringComparer.Ordinal);
    }

    private async Task<bool> UntilReversedAsync(List<Paid> payments, string what) =>
        payments.Count == 0 || await UntilAsync(what, async () =>
        {
            foreach (var p in payments)
            {
                if ((await writeback.PaymentAsync(tenant.Id, MeshIds.Payment(tenant.Id, p.PaymentId)))?.State != "Reversed")
                {
                    return null;
                }
            }

            return "done";
        }) is not null;

    /// <summary>Polls until <paramref name="done"/> answers something, or the phase's time is up (then records an error).</summary>
    private async Task<T?> UntilAsync<T>(string what, Func<Task<T?>> done)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await done() is { } result)
            {
                return result;
            }

            if (clock.Elapsed > options.Timeout)
            {
                Errors.Add($"gave up waiting for {what} after {options.Timeout.TotalSeconds:F0} s");
                Say(Errors[^1]);
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private void Say(string line) => Console.Error.WriteLine($"[demo] {tenant.Label}: {line}");

    public static string Money(decimal amount) => amount.ToString("N2", CultureInfo.InvariantCulture);
}
