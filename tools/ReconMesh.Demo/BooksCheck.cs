using System.Globalization;
using ReconMesh.Sandbox.Platform;

namespace ReconMesh.Demo;

/// <summary>
/// The accountant's check, entry by entry, of one tenant's QuickBooks company (and ConnectWise site, when its PSA is
/// paired with it): every payment the platform kept is booked once, for what the customer was charged, against its
/// invoice; every payment returned before its payout or refused is not; a payment reversed after its payout stays,
/// and a reinstatement invoice puts its amount back on the customer's account; every invoice's balance is what it
/// owed less what was kept; every payout is one deposit equal to it; the fees, surcharge income and reversals clearing
/// accounts moved by what the platform's payouts say; nothing else was booked. In ConnectWise: every invoice's balance
/// is what it owed less the payments that stayed, Closed when nothing is owed, with one invoice payment per payment.
/// </summary>
internal static class BooksCheck
{
    public const string FeesAccount = "ReconMesh Payment Fees";
    public const string SurchargeIncome = "ReconMesh Surcharge Income";
    public const string ReversalsClearing = "ReconMesh Reversals Clearing";

    /// <summary>The differences, each with the entry it concerns (an invoice, a payout, an account), prefixed by the tenant.</summary>
    public static IReadOnlyList<(string Subject, string Problem)> Differences(DemoMonth month, SandboxClient.Books after, SandboxClient.CwBooks? psaAfter,
        IReadOnlyList<SandboxClient.PlatformPayout> payouts)
    {
        var problems = new List<(string Subject, string Problem)>();
        if (month.QuickBooksBefore is not { } before)
        {
            return [(month.Tenant.Id, $"{month.Tenant.Id}: the month never started")];
        }

        void Problem(string subject, string problem) => problems.Add(($"{month.Tenant.Id} {subject}", $"{month.Tenant.Id}: {problem}"));
        var voided = month.VoidedByHand?.Id;
        var live = after.Payments.Where(p => !p.Deleted && !p.Voided && p.PrivateNote?.Contains("ReconMesh", StringComparison.Ordinal) == true).ToList();
        // Payment ids are all of one length (pay_NNNNN), so one never contains another.
        var bookedFor = live.SelectMany(p => month.Payments.Where(m => p.PrivateNote!.Contains(m.PaymentId, StringComparison.Ordinal))
                .Select(m => (m.PaymentId, Booked: p)))
            .ToLookup(x => x.PaymentId, x => x.Booked, StringComparer.Ordinal);
        foreach (var payment in month.Payments)
        {
            var booked = bookedFor[payment.PaymentId].ToList();
            var subject = $"invoice {payment.BooksInvoiceId}";
            if (payment.Kept && booked.Count != 1)
            {
                Problem(subject, $"payment {payment.PaymentId}: booked {booked.Count} times, expected once");
            }
            else if (payment.Kept && booked[0].TotalAmt != payment.Plan.Charged)
            {
                Problem(subject, $"payment {payment.PaymentId}: booked {booked[0].TotalAmt}, the platform charged {payment.Plan.Charged}");
            }
            else if (!payment.Kept && booked.Count != 0)
            {
                Problem(subject, $"payment {payment.PaymentId}: still booked although it was {(payment.ReturnedEarly ? "returned" : "refused")}");
            }

            if (payment.BooksInvoiceId == voided && payment.WrittenBack)
            {
                Problem(subject, $"payment {payment.PaymentId} for the invoice voided by hand was written back, expected an exception");
            }
            else if (payment.BooksInvoiceId != voided && !payment.WrittenBack)
            {
                Problem(subject, $"payment {payment.PaymentId} was refused, expected it written back");
            }

            if (payment.ReversedLate is not null && booked.Count == 1)
            {
                var reinstatement = after.Invoices.Where(i => i.DocNumber == $"RMR-{booked[0].Id}" && !i.Voided && !i.Deleted).ToList();
                if (reinstatement.Count != 1 || reinstatement[0].Balance != payment.Plan.Amount)
                {
                    Problem(subject, $"payment {payment.PaymentId}, {payment.ReversedLate} after deposit: {reinstatement.Count} reinstatement invoices " +
                        $"RMR-{booked[0].Id} ({string.Join(", ", reinstatement.Select(i => i.Balance))}), expected one of {payment.Plan.Amount}");
                }
            }
        }

        foreach (var stray in live.Where(p => !bookedFor.Any(g => g.Contains(p))))
        {
            Problem($"payment {stray.Id}", $"QuickBooks Payment {stray.Id} was booked by ReconMesh for no payment of this run ({stray.PrivateNote})");
        }

        var owedBefore = before.Invoices.ToDictionary(i => i.Id);
        var keptByInvoice = month.Payments.Where(p => p.Kept).ToLookup(p => p.BooksInvoiceId, StringComparer.Ordinal);
        foreach (var invoice in after.Invoices.Where(i => !i.Deleted && !i.Voided && owedBefore.ContainsKey(i.Id)))
        {
            var expected = owedBefore[invoice.Id].Balance - keptByInvoice[invoice.Id].Sum(p => p.Plan.Amount);
            if (invoice.Balance != expected)
            {
                Problem($"invoice {invoice.Id}", $"invoice {invoice.DocNumber}: balance {invoice.Balance}, expected {expected}");
            }
        }

        var newDeposits = after.Deposits.Where(d => before.Deposits.All(b => b.Id != d.Id)).ToList();
        foreach (var (subject, problem) in PayoutsNotDeposited(payouts, [.. newDeposits.Select(d => (d.Id, d.TotalAmt))]))
        {
            Problem(subject, problem);
        }

        var deposited = Settled(payouts.Where(p => p.Outcome == "deposited"));
        var reversedSurcharges = month.Payments.Where(p => p.Kept && p.ReversedLate is not null).Sum(p => p.Plan.Surcharge);
        var expectedAccounts = new (string Account, decimal Moved, string Why)[]
        {
            (FeesAccount, deposited.Where(p => p.Surcharge == 0m).Sum(p => p.Fee), "the fees the partner absorbed on the payments paid out"),
            (SurchargeIncome, month.Payments.Where(p => p.Kept).Sum(p => p.Plan.Surcharge) - deposited.Where(p => p.Surcharge > 0m).Sum(p => p.Fee) - reversedSurcharges,
                "the surcharges kept, less the fees paid out of them"),
            (ReversalsClearing, 0m, "every reversal reinstated and taken back by a payout"),
        };
        foreach (var (account, moved, why) in expectedAccounts)
        {
            var actual = Balance(after, account) - Balance(before, account);
            if (actual != moved)
            {
                Problem($"account {account}", $"{account} moved by {actual}, expected {moved}: {why}");
            }
        }

        problems.AddRange(ConnectWiseDifferences(month, psaAfter));
        return problems;
    }

    /// <summary>
    /// The ConnectWise site paired with the books, whatever they are: every invoice's balance is what it owed less the
    /// payments that stayed, Closed when nothing is owed, with one invoice payment per payment that stayed.
    /// </summary>
    public static IReadOnlyList<(string Subject, string Problem)> ConnectWiseDifferences(DemoMonth month, SandboxClient.CwBooks? psaAfter)
    {
        var problems = new List<(string Subject, string Problem)>();
        if (psaAfter is null || month.ConnectWiseBefore is not { } psaBefore)
        {
            return problems;
        }

        void Problem(string subject, string problem) => problems.Add(($"{month.Tenant.Id} {subject}", $"{month.Tenant.Id}: {problem}"));
        var stayed = month.Payments.Where(p => p.Stayed).ToLookup(p => p.PsaInvoiceId, StringComparer.Ordinal);
        var beforeById = psaBefore.Invoices.ToDictionary(i => i.Id.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var paymentsById = psaAfter.Payments.ToLookup(p => p.InvoiceId.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var paymentsBefore = psaBefore.Payments.ToLookup(p => p.InvoiceId.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);
        foreach (var invoice in psaAfter.Invoices)
        {
            var id = invoice.Id.ToString(CultureInfo.InvariantCulture);
            if (!beforeById.TryGetValue(id, out var was))
            {
                continue;
            }

            var owed = was.Balance - stayed[id].Sum(p => p.Plan.Amount);
            var applied = paymentsById[id].Count() - paymentsBefore[id].Count();
            if (invoice.Balance != owed || invoice.Closed != (owed == 0m) || applied != stayed[id].Count())
            {
                Problem($"ConnectWise invoice {id}", $"ConnectWise invoice {invoice.InvoiceNumber}: balance {invoice.Balance}, " +
                    $"{(invoice.Closed ? "Closed" : "open")}, {applied} invoice payments; expected {owed}, {(owed == 0m ? "Closed" : "open")}, {stayed[id].Count()}");
            }
        }

        return problems;
    }

    /// <summary>
    /// The payouts that are not each one of the new QuickBooks deposits (by the deposit id the platform heard) of exactly
    /// their amount, and a count of deposits that is not the count of payouts: (subject, problem) of each.
    /// </summary>
    public static IEnumerable<(string Subject, string Problem)> PayoutsNotDeposited(IEnumerable<SandboxClient.PlatformPayout> payouts,
        IReadOnlyList<(string Id, decimal Amount)> newDeposits)
    {
        var count = 0;
        foreach (var payout in payouts)
        {
            count++;
            var id = payout.Payout.GetProperty("payoutId").GetString();
            var amount = payout.Payout.GetProperty("amount").GetDecimal();
            if (payout.Outcome != "deposited" || newDeposits.Count(d => d.Id == payout.DepositId && d.Amount == amount) != 1)
            {
                yield return ($"payout {id}", $"payout {id} of {amount}: {payout.Outcome}{(payout.Reason is null ? "" : $" ({payout.Reason})")}, no deposit equal to it");
            }
        }

        if (newDeposits.Count != count)
        {
            yield return ("deposits", $"{newDeposits.Count} deposits recorded for {count} payouts");
        }
    }

    /// <summary>The payments the payouts settled: (fee, surcharge) of each.</summary>
    public static IReadOnlyList<(decimal Fee, decimal Surcharge)> Settled(IEnumerable<SandboxClient.PlatformPayout> payouts) =>
        [.. payouts.SelectMany(p => p.Payout.GetProperty("payments").EnumerateArray())
            .Select(x => (x.GetProperty("fee").GetDecimal(), x.TryGetProperty("surcharge", out var s) ? s.GetDecimal() : 0m))];

    private static decimal Balance(SandboxClient.Books books, string account) =>
        books.Accounts.Where(a => a.Name == account).Sum(a => a.CurrentBalance);
}
