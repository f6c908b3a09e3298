using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// The chaos run's verdict, per integration: the integration's books (what ReconMesh wrote there, found by the marker
/// carrying each payment's mesh id: QuickBooks' PrivateNote, ConnectWise's appliedBy) against what the platform
/// processed, and the mesh's own account of its payments (states, exceptions queue).
/// <list type="bullet">
/// <item><b>lost</b>: a payment the platform kept that is not in the books, not in the exceptions queue and not on its way.</item>
/// <item><b>duplicated</b>: a payment booked more than once, or a booking by ReconMesh for no payment of the run.</item>
/// <item><b>wrong_amount</b>: a payment booked once for another amount; a returned payment still booked (and not in the
/// exceptions queue); an invoice whose balance is not what it owed less what was kept, where no payment above explains it.</item>
/// <item><b>stuck</b>: payments whose reconciliation is neither finished nor waiting in the exceptions queue with a reason.</item>
/// <item><b>transient_exceptions</b>: exceptions-queue entries whose cause passes by itself. The run pays only synced,
/// open invoices of the payer's own tenant, in their currency, for no more than they owe, and injects only faults that
/// pass (crashes, outages, 5xx, timeouts, 429s): whatever lands in the exceptions queue was put there by a transient cause,
/// so every entry counts. A person's work that a wait would have spared.</item>
/// </list>
/// </summary>
internal static class ChaosBooks
{
    /// <summary>One entry ReconMesh made in an integration: the text that carries its marker, and its amount.</summary>
    public sealed record Booking(string Text, decimal Amount);

    /// <summary>One integration's books, reduced to what the verdict needs. Balances are by the integration's invoice id.</summary>
    public sealed record Books(IReadOnlyList<Booking> Bookings, IReadOnlyDictionary<string, decimal> Balances);

    public sealed class Tally
    {
        public int Lost { get; set; }

        public int Duplicated { get; set; }

        public int WrongAmount { get; set; }

        public int Stuck { get; set; }

        public int NeedsAttention { get; set; }

        public int TransientExceptions { get; set; }

        public List<string> Problems { get; } = [];

        public bool Clean => Lost == 0 && Duplicated == 0 && WrongAmount == 0 && Stuck == 0 && TransientExceptions == 0;
    }

    public static Books FromQuickBooks(SandboxClient.Books books) => new(
        [.. books.Payments.Where(p => !p.Deleted && !p.Voided && p.PrivateNote?.Contains("ReconMesh", StringComparison.Ordinal) == true)
            .Select(p => new Booking(p.PrivateNote!, p.TotalAmt))],
        books.Invoices.Where(i => !i.Deleted && !i.Voided).ToDictionary(i => i.Id, i => i.Balance, StringComparer.Ordinal));

    public static Books FromConnectWise(SandboxClient.CwBooks books) => new(
        [.. books.Payments.Where(p => p.AppliedBy?.Contains("ReconMesh", StringComparison.Ordinal) == true)
            .Select(p => new Booking(p.AppliedBy!, p.Amount))],
        books.Invoices.ToDictionary(i => i.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), i => i.Balance, StringComparer.Ordinal));

    public static void Check(string kind, string tenant, DemoLedger ledger, Books before, Books after,
        IReadOnlyList<WritebackClient.Exception> exceptions, WritebackClient.PaymentStates states, Tally tally)
    {
        var waiting = exceptions.Select(e => e.PaymentId).ToHashSet(StringComparer.Ordinal);
        var onTheirWay = states.Oldest.Select(p => p.PaymentId).ToHashSet(StringComparer.Ordinal);
        var explained = new HashSet<string>(StringComparer.Ordinal);
        var markers = new HashSet<string>(StringComparer.Ordinal);
        void Problem(DemoLedger.Payment payment, string what)
        {
            explained.Add(payment.ExternalInvoiceId);
            tally.Problems.Add($"{kind} payment {payment.PaymentId} ({payment.Amount} on invoice {payment.ExternalInvoiceId}): {what}");
        }

        foreach (var payment in ledger.Payments)
        {
            var marker = MeshIds.Payment(tenant, payment.PaymentId).ToString("N");
            markers.Add(marker);
            var booked = after.Bookings.Where(b => b.Text.Contains(marker, StringComparison.OrdinalIgnoreCase)).ToList();
            if (waiting.Contains(payment.PaymentId) || onTheirWay.Contains(payment.PaymentId))
            {
                explained.Add(payment.ExternalInvoiceId); // counted under needs_attention / stuck below
            }
            else if (!payment.Returned && booked.Count == 0)
            {
                tally.Lost++;
                Problem(payment, "not in the books, not in the exceptions queue, not on its way");
            }
            else if (booked.Count > 1)
            {
                tally.Duplicated++;
                Problem(payment, $"booked {booked.Count} times");
            }
            else if (!payment.Returned && booked[0].Amount != payment.Amount)
            {
                tally.WrongAmount++;
                Problem(payment, $"booked for {booked[0].Amount}");
            }
            else if (payment.Returned && booked.Count > 0)
            {
                tally.WrongAmount++;
                Problem(payment, "returned by the bank, still booked");
            }
        }

        foreach (var stray in after.Bookings.Where(b => !markers.Any(m => b.Text.Contains(m, StringComparison.OrdinalIgnoreCase))))
        {
            tally.Duplicated++;
            tally.Problems.Add($"{kind}: booked by ReconMesh for no payment of this run: {stray.Text} ({stray.Amount})");
        }

        foreach (var (invoice, balance) in after.Balances.Where(b => !explained.Contains(b.Key)))
        {
            var kept = ledger.Payments.Where(p => p.ExternalInvoiceId == invoice && !p.Returned).Sum(p => p.Amount);
            var expected = before.Balances.GetValueOrDefault(invoice, balance) - kept;
            if (balance != expected)
            {
                tally.WrongAmount++;
                tally.Problems.Add($"{kind} invoice {invoice}: balance {balance}, expected {expected}");
            }
        }

        tally.Stuck += states.OnTheirWay;
        tally.NeedsAttention += exceptions.Count;
        tally.TransientExceptions += exceptions.Count;
        tally.Problems.AddRange(states.Oldest.Select(p => $"{kind} payment {p.PaymentId}: stuck in {p.State} since {p.UpdatedAt:O}"));
        tally.Problems.AddRange(exceptions.Select(e => $"{kind} payment {e.PaymentId}: needs attention ({e.Stage}): {e.ReasonCode}: {e.Reason}"));
        var missing = ledger.Payments.Count - states.Payments;
        if (missing > 0)
        {
            tally.Problems.Add($"{kind}: the WritebackService knows {states.Payments} of the {ledger.Payments.Count} payments");
        }
    }
}
