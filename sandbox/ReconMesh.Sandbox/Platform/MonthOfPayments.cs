using ReconMesh.Contracts.Payments;

namespace ReconMesh.Sandbox.Platform;

/// <summary>
/// A month of a partner's receivables as the platform would take them, planned from the open invoices: the shape that
/// <c>./run demo</c> and the month-long integration test both run, so what the demo shows is what the test proves.
/// Every invoice is paid, one in five in two parts (40% and the rest) on the same day; ACH, card with the fee
/// absorbed, card with the fee passed on as a surcharge, and installments in turn; fees as <see cref="Fees"/> charges
/// them. The invoices are spread over twenty business days. Two ACH payments of the last day with any are returned
/// before they are paid out; six payments are reversed after they were paid out (three refunds, a late ACH return, two
/// chargebacks), each taken back by the payout five days later.
/// </summary>
public static class MonthOfPayments
{
    public const int Days = 20;

    /// <summary>How many days after a payment's payout its late reversal is taken back by a payout.</summary>
    public const int ReversalLag = 5;

    /// <summary>An open invoice to pay: the platform's id, its number and its total.</summary>
    public sealed record Invoice(Guid InvoiceId, string Number, decimal Total);

    /// <summary>
    /// One payment: the <paramref name="InvoiceIndex"/>th invoice of the plan, its <paramref name="Sequence"/> in the
    /// month, and the business day it is paid (and paid out) on.
    /// </summary>
    public sealed record Payment(int Sequence, int InvoiceIndex, Invoice Invoice, PaymentMethod Method, decimal Amount, decimal Fee,
        bool PassFeeToCustomer, int Day)
    {
        /// <summary>What the customer paid on top of the amount: the fee, when the partner passes it on.</summary>
        public decimal Surcharge => PassFeeToCustomer ? Fee : 0m;

        /// <summary>What the customer was charged, and what a reversal takes back.</summary>
        public decimal Charged => Amount + Surcharge;
    }

    /// <summary>A payment reversed after its payout, taken back by the payout of <paramref name="TakenBackOn"/>.</summary>
    public sealed record Reversal(Payment Payment, PaymentReversalKind Kind, int TakenBackOn);

    /// <summary>The month: its payments, the ones returned before their payout, and the ones reversed after it.</summary>
    public sealed record Month(IReadOnlyList<Payment> Payments, IReadOnlyList<Payment> ReturnedEarly, IReadOnlyList<Reversal> ReversedLate)
    {
        /// <summary>The payments a day's payout settles: that day's, less those returned before it.</summary>
        public IEnumerable<Payment> PaidOutOn(int day) => Payments.Where(p => p.Day == day && !ReturnedEarly.Contains(p));

        /// <summary>The reversals a day's payout takes back.</summary>
        public IEnumerable<Reversal> TakenBackOn(int day) => ReversedLate.Where(r => r.TakenBackOn == day);
    }

    /// <summary>
    /// Plans the month for these invoices, in the order given (the same order gives the same month). Without
    /// <paramref name="surcharges"/> (for books that do not take surcharges yet: Xero), the card payments that would pass
    /// their fee on absorb it, and the refund of a surcharged payment is of a card payment.
    /// </summary>
    public static Month Plan(IReadOnlyList<Invoice> invoices, bool surcharges = true)
    {
        var payments = new List<Payment>();
        for (var i = 0; i < invoices.Count; i++)
        {
            var invoice = invoices[i];
            var method = (i % 4) switch { 0 => PaymentMethod.Ach, 1 or 2 => PaymentMethod.Card, _ => PaymentMethod.Installments };
            var first = decimal.Round(invoice.Total * 0.4m, 2, MidpointRounding.AwayFromZero);
            decimal[] parts = i % 5 == 0 && first > 0m ? [first, invoice.Total - first] : [invoice.Total];
            foreach (var amount in parts)
            {
                payments.Add(new Payment(payments.Count, i, invoice, method, amount, Fees.For(method, amount), PassFeeToCustomer: surcharges && i % 4 == 2, i % Days));
            }
        }

        // The last day with ACH payments (methods follow the invoices' order in fours, days in twenties, so the last day
        // itself has none).
        var returnedEarly = payments.Where(p => p.Method == PaymentMethod.Ach).OrderByDescending(p => p.Day).ThenBy(p => p.Sequence).Take(2).ToList();
        var reversedLate = new List<Reversal>();
        void ReverseLater(Func<Payment, bool> which, int day, PaymentReversalKind kind)
        {
            if (payments.FirstOrDefault(p => p.Day == day && which(p) && !returnedEarly.Contains(p) && reversedLate.All(r => r.Payment != p)) is { } chosen)
            {
                reversedLate.Add(new Reversal(chosen, kind, day + ReversalLag));
            }
        }

        ReverseLater(p => p.Surcharge == 0m, 1, PaymentReversalKind.Refunded);
        ReverseLater(p => surcharges ? p.Surcharge > 0m : p.Method == PaymentMethod.Card, 2, PaymentReversalKind.Refunded);
        ReverseLater(_ => true, 3, PaymentReversalKind.Refunded);
        ReverseLater(p => p.Method == PaymentMethod.Ach, 4, PaymentReversalKind.Failed);
        ReverseLater(p => p.Method == PaymentMethod.Card, 5, PaymentReversalKind.ChargedBack);
        ReverseLater(p => p.Method == PaymentMethod.Card, 6, PaymentReversalKind.ChargedBack);
        return new Month(payments, returnedEarly, reversedLate);
    }
}
