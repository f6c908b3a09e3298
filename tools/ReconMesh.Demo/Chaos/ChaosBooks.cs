using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// The chaos run's verdict, per tenant: each integration's books (what ReconMesh wrote there, found by the marker
/// carrying each payment's mesh id: QuickBooks' PrivateNote, ConnectWise's appliedBy, Xero's Reference; Autotask, which keeps
/// no amounts, by its invoices' paid marks) against what the platform processed and paid out, and the mesh's own account of
/// its payments (states, exceptions queue).
/// <list type="bullet">
/// <item><b>lost</b>: a payment the platform kept that is not in the books, not in the exceptions queue and not on its way.</item>
/// <item><b>duplicated</b>: a payment booked more than once, or a booking by ReconMesh for no payment of the run.</item>
/// <item><b>wrong_amount</b>: a payment booked once for another amount; a payment returned before its payout still
/// booked (and not in the exceptions queue); a payment reversed after its payout without one reinstatement invoice of its
/// amount in QuickBooks, or still applied in ConnectWise; an invoice whose balance is not what it owed less what was
/// kept, where no payment above explains it; an Autotask invoice marked paid (<c>paidDate</c> with ReconMesh's
/// <c>webServiceDate</c> stamp) when the payments that stayed do not cover its total, or open when they do.</item>
/// <item><b>deposits_wrong</b>: a payout that is not one deposit of its amount in QuickBooks (one transfer to the bank in
/// Xero); fees or clearing accounts not moved by what the deposited payouts say.</item>
/// <item><b>stuck</b>: payments whose reconciliation is neither finished nor waiting in the exceptions queue with a reason.</item>
/// <item><b>transient_exceptions</b>: exceptions-queue entries (and payouts needing attention) whose cause passes by itself.
/// The run pays only synced, open invoices of the payer's own tenant, in their currency, for no more than they owe, pays
/// out only what the platform took, and injects only faults that pass (crashes, outages, 5xx, timeouts, 429s): whatever
/// lands in the exceptions queue was put there by a transient cause, so every entry counts.</item>
/// </list>
/// </summary>
internal static class ChaosBooks
{
    /// <summary>One entry ReconMesh made in an integration: its id, the text that carries its marker, and its amount.</summary>
    public sealed record Booking(string Id, string Text, decimal Amount);

    public sealed record Deposit(string Id, decimal Amount);

    /// <summary>
    /// One integration's books, reduced to what the verdict needs: balances by the integration's invoice id,
    /// reinstatement invoices' balances by document number, deposits, and account balances by name (QuickBooks).
    /// </summary>
    public sealed record Books(IReadOnlyList<Booking> Bookings, IReadOnlyDictionary<string, decimal> Balances,
        IReadOnlyDictionary<string, decimal> Reinstatements, IReadOnlyList<Deposit> Deposits, IReadOnlyDictionary<string, decimal> Accounts);

    public sealed class Tally
    {
        public int Lost { get; set; }

        public int Duplicated { get; set; }

        public int WrongAmount { get; set; }

        public int DepositsWrong { get; set; }

        public int Stuck { get; set; }

        public int NeedsAttention { get; set; }

        public int TransientExceptions { get; set; }

        public List<string> Problems { get; } = [];

        /// <summary>Adds a tenant's tally to this one (the run's).</summary>
        public void Add(Tally tenant)
        {
            (Lost, Duplicated, WrongAmount, DepositsWrong) = (Lost + tenant.Lost, Duplicated + tenant.Duplicated, WrongAmount + tenant.WrongAmount,
                DepositsWrong + tenant.DepositsWrong);
            (Stuck, NeedsAttention, TransientExceptions) = (Stuck + tenant.Stuck, NeedsAttention + tenant.NeedsAttention, TransientExceptions + tenant.TransientExceptions);
            Problems.AddRange(tenant.Problems);
        }

        public bool Clean => Lost == 0 && Duplicated == 0 && WrongAmount == 0 && DepositsWrong == 0 && Stuck == 0 && TransientExceptions == 0;
    }

    public static Books FromQuickBooks(SandboxClient.Books books) => new(
        [.. books.Payments.Where(p => !p.Deleted && !p.Voided && p.PrivateNote?.Contains("ReconMesh", StringComparison.Ordinal) == true)
            .Select(p => new Booking(p.Id, p.PrivateNote!, p.TotalAmt))],
        books.Invoices.Where(i => !i.Deleted && !i.Voided).ToDictionary(i => i.Id, i => i.Balance, StringComparer.Ordinal),
        books.Invoices.Where(i => !i.Deleted && !i.Voided && i.DocNumber.StartsWith("RMR-", StringComparison.Ordinal))
            .GroupBy(i => i.DocNumber, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count() == 1 ? g.Single().Balance : -1m, StringComparer.Ordinal),
        [.. books.Deposits.Select(d => new Deposit(d.Id, d.TotalAmt))],
        books.Accounts.Where(a => a.Name is not null).GroupBy(a => a.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(a => a.CurrentBalance), StringComparer.Ordinal));

    public static Books FromConnectWise(SandboxClient.CwBooks books) => new(
        [.. books.Payments.Where(p => p.AppliedBy?.Contains("ReconMesh", StringComparison.Ordinal) == true)
            .Select(p => new Booking(p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), p.AppliedBy!, p.Amount))],
        books.Invoices.ToDictionary(i => i.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), i => i.Balance, StringComparer.Ordinal),
        new Dictionary<string, decimal>(), [], new Dictionary<string, decimal>());

    /// <summary>
    /// A Xero organisation's books: ReconMesh's payments not deleted (their Reference carries the marker), invoices'
    /// amounts due, payouts' transfers from the clearing account to the bank as its deposits, account balances by code.
    /// </summary>
    public static Books FromXero(SandboxClient.XeroBooks books) => new(
        [.. books.Payments.Where(p => p.Status != "DELETED" && p.Reference?.Contains("ReconMesh", StringComparison.Ordinal) == true)
            .Select(p => new Booking(p.PaymentId, p.Reference!, p.Amount))],
        books.Invoices.Where(i => i.Status is not ("VOIDED" or "DELETED")).ToDictionary(i => i.InvoiceId, i => i.AmountDue, StringComparer.Ordinal),
        new Dictionary<string, decimal>(),
        [.. books.BankTransfers.Where(t => t is { FromCode: SandboxClient.XeroClearingAccount, ToCode: SandboxClient.XeroBankAccount })
            .Select(t => new Deposit(t.BankTransferId, t.Amount))],
        books.Accounts.ToDictionary(a => a.Code, a => a.Balance, StringComparer.Ordinal));

    /// <summary>
    /// One integration's books against the tenant's ledger. <paramref name="invoiceOf"/> maps a ledger payment's invoice
    /// (the primary's id) to this integration's; <paramref name="reinstated"/>: QuickBooks, where a payment reversed after
    /// its payout stays booked and is reinstated, rather than ConnectWise, where it is taken off the invoice, or Xero, where
    /// it is deleted.
    /// </summary>
    public static void CheckBooks(string kind, string tenant, DemoLedger ledger, Books before, Books after, ISet<string> accountedFor,
        Func<string, string> invoiceOf, bool reinstated, Tally tally)
    {
        var explained = new HashSet<string>(StringComparer.Ordinal);
        var markers = new HashSet<string>(StringComparer.Ordinal);
        void Problem(DemoLedger.Payment payment, string what)
        {
            explained.Add(invoiceOf(payment.ExternalInvoiceId));
            tally.Problems.Add($"{kind} payment {payment.PaymentId} ({payment.Amount} on invoice {invoiceOf(payment.ExternalInvoiceId)}): {what}");
        }

        bool Stays(DemoLedger.Payment p) => !p.Returned && (reinstated || !p.ReversedAfterPayout);
        foreach (var payment in ledger.Payments)
        {
            var marker = MeshIds.Payment(tenant, payment.PaymentId).ToString("N");
            markers.Add(marker);
            var booked = after.Bookings.Where(b => b.Text.Contains(marker, StringComparison.OrdinalIgnoreCase)).ToList();
            if (accountedFor.Contains(payment.PaymentId))
            {
                explained.Add(invoiceOf(payment.ExternalInvoiceId)); // counted under needs_attention / stuck
            }
            else if (Stays(payment) && booked.Count == 0)
            {
                tally.Lost++;
                Problem(payment, "not in the books, not in the exceptions queue, not on its way");
            }
            else if (booked.Count > 1)
            {
                tally.Duplicated++;
                Problem(payment, $"booked {booked.Count} times");
            }
            else if (Stays(payment) && booked[0].Amount != payment.Amount)
            {
                tally.WrongAmount++;
                Problem(payment, $"booked for {booked[0].Amount}");
            }
            else if (!Stays(payment) && booked.Count > 0)
            {
                tally.WrongAmount++;
                Problem(payment, payment.Returned ? "returned before its payout, still booked" : "reversed after its payout, still applied");
            }
            else if (reinstated && payment.ReversedAfterPayout && after.Reinstatements.GetValueOrDefault($"RMR-{booked[0].Id}") != payment.Amount)
            {
                tally.WrongAmount++;
                Problem(payment, $"reversed after its payout, no reinstatement invoice RMR-{booked[0].Id} of its amount");
            }
        }

        foreach (var stray in after.Bookings.Where(b => !markers.Any(m => b.Text.Contains(m, StringComparison.OrdinalIgnoreCase))))
        {
            tally.Duplicated++;
            tally.Problems.Add($"{kind}: booked by ReconMesh for no payment of this run: {stray.Text} ({stray.Amount})");
        }

        var kept = ledger.Payments.Where(Stays).ToLookup(p => invoiceOf(p.ExternalInvoiceId), StringComparer.Ordinal);
        foreach (var (invoice, balance) in after.Balances.Where(b => before.Balances.ContainsKey(b.Key) && !explained.Contains(b.Key)))
        {
            var expected = before.Balances[invoice] - kept[invoice].Sum(p => p.Amount);
            if (balance != expected)
            {
                tally.WrongAmount++;
                tally.Problems.Add($"{kind} invoice {invoice}: balance {balance}, expected {expected}");
            }
        }
    }

    /// <summary>
    /// An Autotask database's paid marks, as the demo checks them (<see cref="AutotaskBooksCheck"/>): each invoice paid
    /// exactly when the payments that stayed cover its total (one returned before its payout, or reversed after it, opens
    /// the invoice again). Invoices with a payment counted under needs_attention or stuck are left to those.
    /// </summary>
    public static void CheckPaidMarks(string kind, DemoLedger ledger, IReadOnlyList<SandboxClient.AutotaskBookInvoice> invoices, ISet<string> accountedFor,
        Tally tally)
    {
        var explained = ledger.Payments.Where(p => accountedFor.Contains(p.PaymentId)).Select(p => p.ExternalInvoiceId).ToHashSet(StringComparer.Ordinal);
        var stayed = ledger.Payments.Where(p => !p.Returned && !p.ReversedAfterPayout).ToLookup(p => p.ExternalInvoiceId, p => p.Amount, StringComparer.Ordinal);
        var marked = invoices.Where(i => !explained.Contains(i.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        foreach (var (_, problem) in AutotaskBooksCheck.Differences(kind, marked, stayed))
        {
            tally.WrongAmount++;
            tally.Problems.Add(problem);
        }
    }

    /// <summary>The mesh's own account of a tenant's payments: what is on its way (stuck) and what waits for a person.</summary>
    public static void CheckStates(string kind, DemoLedger ledger, IReadOnlyList<WritebackClient.Exception> exceptions, WritebackClient.PaymentStates states,
        Tally tally)
    {
        tally.Stuck += states.OnTheirWay;
        tally.NeedsAttention += exceptions.Count;
        tally.TransientExceptions += exceptions.Count;
        tally.Problems.AddRange(states.Oldest.Select(p => $"{kind} payment {p.PaymentId}: stuck in {p.State} since {p.UpdatedAt:O}"));
        tally.Problems.AddRange(exceptions.Select(e => $"{kind} payment {e.PaymentId}: needs attention ({e.Stage}): {e.ReasonCode}: {e.Reason}"));
        if (ledger.Payments.Count > states.Payments)
        {
            tally.Problems.Add($"{kind}: the WritebackService knows {states.Payments} of the {ledger.Payments.Count} payments");
        }
    }

    /// <summary>
    /// Each payout is one new deposit of its amount (in Xero: one transfer from the clearing account to the bank); the fees
    /// account moved by the fees of the payments paid out. In QuickBooks the reversals clearing account is back where it
    /// was once every reversal after a payout was taken back by a later one; in Xero the payments clearing account moved by
    /// the payments that stayed, less what was paid out and its fees.
    /// </summary>
    public static void CheckPayouts(ChaosTenant tenant, Books before, Books after, IReadOnlyList<SandboxClient.PlatformPayout> payouts, Tally tally)
    {
        var kind = tenant.Kind;
        void Wrong(string what)
        {
            tally.DepositsWrong++;
            tally.Problems.Add($"{kind}: {what}");
        }

        var newDeposits = after.Deposits.Where(d => before.Deposits.All(b => b.Id != d.Id)).ToList();
        foreach (var payout in payouts.Where(p => p.Outcome == "needs-attention"))
        {
            tally.NeedsAttention++;
            tally.TransientExceptions++;
            tally.Problems.Add($"{kind}: payout {payout.Payout.GetProperty("payoutId").GetString()} needs attention: {payout.Reason}");
        }

        foreach (var (_, problem) in BooksCheck.PayoutsNotDeposited(payouts.Where(p => p.Outcome != "needs-attention"),
                     [.. newDeposits.Select(d => (d.Id, d.Amount))]))
        {
            Wrong(problem);
        }

        var deposited = payouts.Where(p => p.Outcome == "deposited").ToList();
        var fees = BooksCheck.Settled(deposited).Sum(p => p.Fee);
        var paidOut = deposited.Sum(p => p.Payout.GetProperty("amount").GetDecimal());
        var stayed = tenant.Ledger.Payments.Where(p => !p.Returned && !p.ReversedAfterPayout).Sum(p => p.Amount);
        (string Account, decimal Moved)[] accounts = tenant.Xero is null
            ? [(BooksCheck.FeesAccount, fees), (BooksCheck.ReversalsClearing, 0m)]
            : [(SandboxClient.XeroFeesAccount, fees), (SandboxClient.XeroClearingAccount, stayed - paidOut - fees)];
        foreach (var (account, moved) in accounts)
        {
            var actual = after.Accounts.GetValueOrDefault(account) - before.Accounts.GetValueOrDefault(account);
            if (actual != moved)
            {
                Wrong($"{account} moved by {actual}, expected {moved}");
            }
        }
    }
}
