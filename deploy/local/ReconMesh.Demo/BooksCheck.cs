namespace ReconMesh.Demo;

/// <summary>
/// The accountant's check, entry by entry: every payment the platform kept is booked once, for its amount, against
/// its invoice; every returned or refused payment is not; every invoice's balance is what it owed less what was
/// kept; every payout is one deposit equal to it, with its fees on the fees account; and nothing else was booked.
/// </summary>
internal static class BooksCheck
{
    /// <summary>The differences, each with the entry it concerns (an invoice, a payout, the fees account).</summary>
    public static IReadOnlyList<(string Subject, string Problem)> Differences(SandboxClient.Books before, SandboxClient.Books after, DemoLedger ledger,
        IReadOnlyList<SandboxClient.PlatformPayment> outcomes, IReadOnlyList<SandboxClient.PlatformPayout> payouts, string? voidedByHand)
    {
        var problems = new List<(string Subject, string Problem)>();
        var outcomeById = outcomes.ToDictionary(o => o.Payment.GetProperty("paymentId").GetString()!);
        var live = after.Payments.Where(p => !p.Deleted && !p.Voided && p.PrivateNote?.Contains("ReconMesh", StringComparison.Ordinal) == true).ToList();

        foreach (var payment in ledger.Payments)
        {
            var booked = live.Where(p => p.PrivateNote!.Contains(payment.PaymentId, StringComparison.Ordinal)).ToList();
            var kept = !payment.Returned && payment.ExternalInvoiceId != voidedByHand;
            if (kept && booked.Count != 1)
            {
                problems.Add(($"invoice {payment.ExternalInvoiceId}", $"payment {payment.PaymentId}: booked {booked.Count} times, expected once"));
            }
            else if (kept && booked[0].TotalAmt != payment.Amount)
            {
                problems.Add(($"invoice {payment.ExternalInvoiceId}", $"payment {payment.PaymentId}: booked {booked[0].TotalAmt}, the platform took {payment.Amount}"));
            }
            else if (!kept && booked.Count != 0)
            {
                problems.Add(($"invoice {payment.ExternalInvoiceId}", $"payment {payment.PaymentId}: still booked although it was {(payment.Returned ? "returned" : "refused")}"));
            }

            if (payment.ExternalInvoiceId == voidedByHand && outcomeById[payment.PaymentId].Outcome != "needs-attention")
            {
                problems.Add(($"invoice {payment.ExternalInvoiceId}", $"payment {payment.PaymentId} for the voided invoice is {outcomeById[payment.PaymentId].Outcome}, expected needs-attention"));
            }
        }

        var ourPaymentIds = ledger.Payments.Select(p => p.PaymentId).ToList();
        foreach (var stray in live.Where(p => !ourPaymentIds.Any(id => p.PrivateNote!.Contains(id, StringComparison.Ordinal))))
        {
            problems.Add(($"payment {stray.Id}", $"QuickBooks Payment {stray.Id} was booked by ReconMesh for no payment of this run"));
        }

        var owedBefore = before.Invoices.ToDictionary(i => i.Id);
        foreach (var invoice in after.Invoices.Where(i => !i.Deleted && !i.Voided))
        {
            var kept = ledger.Payments.Where(p => p.ExternalInvoiceId == invoice.Id && !p.Returned && p.ExternalInvoiceId != voidedByHand).Sum(p => p.Amount);
            var expected = owedBefore.TryGetValue(invoice.Id, out var was) ? was.Balance - kept : invoice.Balance;
            if (invoice.Balance != expected)
            {
                problems.Add(($"invoice {invoice.Id}", $"invoice {invoice.DocNumber}: balance {invoice.Balance}, expected {expected}"));
            }
        }

        var newDeposits = after.Deposits.Where(d => before.Deposits.All(b => b.Id != d.Id)).ToList();
        foreach (var payout in payouts)
        {
            var amount = payout.Payout.GetProperty("amount").GetDecimal();
            if (payout.Outcome != "deposited" || newDeposits.Count(d => d.Id == payout.DepositId && d.TotalAmt == amount) != 1)
            {
                problems.Add(($"payout {payout.Payout.GetProperty("payoutId").GetString()}", $"payout {payout.Payout.GetProperty("payoutId").GetString()} of {amount}: {payout.Outcome}, no deposit equal to it"));
            }
        }

        if (newDeposits.Count != payouts.Count)
        {
            problems.Add(("deposits", $"{newDeposits.Count} deposits recorded for {payouts.Count} payouts"));
        }

        var fees = payouts.Sum(p => p.Payout.GetProperty("payments").EnumerateArray().Sum(x => x.GetProperty("fee").GetDecimal()));
        var feesBooked = Balance(after, "ReconMesh Payment Fees") - Balance(before, "ReconMesh Payment Fees");
        if (feesBooked != fees)
        {
            problems.Add(("fees account", $"fees account moved by {feesBooked}, the payouts kept {fees} in fees"));
        }

        return problems;
    }

    private static decimal Balance(SandboxClient.Books books, string account) =>
        books.Accounts.Where(a => a.Name == account).Sum(a => a.CurrentBalance);
}
