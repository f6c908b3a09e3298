using static ReconMesh.Demo.SandboxClient;

namespace ReconMesh.Demo;

/// <summary>
/// The accountant's check, entry by entry, of one tenant's Xero organisation (docs/accounting.md, Xero), and of its
/// ConnectWise site when its PSA is paired with it (<see cref="BooksCheck.ConnectWiseDifferences"/>): every payment the
/// platform kept is one Xero payment of its amount against its invoice into the clearing account; one reversed after its
/// payout is that payment deleted; one returned before its payout or refused has none; every invoice owes what it owed
/// less what stayed paid; every payout is one bank transfer equal to it from the clearing account to the bank and one
/// spend of its fees from the clearing account; the bank, fees and clearing accounts moved by what the platform's
/// payouts say; nothing else was recorded.
/// </summary>
internal static class XeroBooksCheck
{
    public static IReadOnlyList<(string Subject, string Problem)> Differences(DemoMonth month, XeroBooks after, CwBooks? psaAfter,
        IReadOnlyList<PlatformPayout> payouts)
    {
        var problems = new List<(string Subject, string Problem)>();
        if (month.XeroBefore is not { } before)
        {
            return [(month.Tenant.Id, $"{month.Tenant.Id}: the month never started")];
        }

        void Problem(string subject, string problem) => problems.Add(($"{month.Tenant.Id} {subject}", $"{month.Tenant.Id}: {problem}"));
        var ours = after.Payments.Where(p => p.Reference?.Contains("ReconMesh", StringComparison.Ordinal) == true).ToList();
        // Payment ids are all of one length (pay_NNNNN), so one never contains another.
        var bookedFor = ours.SelectMany(p => month.Payments.Where(m => p.Reference!.Contains(m.PaymentId, StringComparison.Ordinal)).Select(m => (m.PaymentId, Booked: p)))
            .ToLookup(x => x.PaymentId, x => x.Booked, StringComparer.Ordinal);
        foreach (var payment in month.Payments)
        {
            var booked = bookedFor[payment.PaymentId].ToList();
            var live = booked.Where(p => p.Status != "DELETED").ToList();
            var subject = $"invoice {payment.BooksInvoiceId}";
            if (!payment.WrittenBack)
            {
                Problem(subject, $"payment {payment.PaymentId} was refused, expected it written back");
            }

            if (payment.Stayed && (live is not [var one] || one.Amount != payment.Plan.Amount || one.InvoiceId != payment.BooksInvoiceId
                || one.AccountCode != XeroClearingAccount))
            {
                Problem(subject, $"payment {payment.PaymentId}: {Describe(live)}; expected one of {payment.Plan.Amount} into {XeroClearingAccount}");
            }
            else if (payment is { Kept: true, ReversedLate: not null } && (booked.Count != 1 || live.Count != 0))
            {
                Problem(subject, $"payment {payment.PaymentId}, {payment.ReversedLate} after its payout: {Describe(booked)}; expected one, deleted");
            }
            else if (!payment.Kept && live.Count != 0)
            {
                Problem(subject, $"payment {payment.PaymentId}: still booked although it was {(payment.ReturnedEarly ? "returned" : "refused")}");
            }
        }

        foreach (var stray in ours.Where(p => !bookedFor.Any(g => g.Contains(p))))
        {
            Problem($"payment {stray.PaymentId}", $"Xero payment {stray.PaymentId} was recorded by ReconMesh for no payment of this run ({stray.Reference})");
        }

        var owedBefore = before.Invoices.ToDictionary(i => i.InvoiceId, StringComparer.Ordinal);
        var stayedByInvoice = month.Payments.Where(p => p.Stayed).ToLookup(p => p.BooksInvoiceId, StringComparer.Ordinal);
        foreach (var invoice in after.Invoices.Where(i => owedBefore.ContainsKey(i.InvoiceId) && i.Status is not ("VOIDED" or "DELETED")))
        {
            var expected = owedBefore[invoice.InvoiceId].AmountDue - stayedByInvoice[invoice.InvoiceId].Sum(p => p.Plan.Amount);
            if (invoice.AmountDue != expected || (invoice.Status == "PAID") != (expected == 0m))
            {
                Problem($"invoice {invoice.InvoiceId}", $"invoice {invoice.InvoiceNumber}: {invoice.Status} with {invoice.AmountDue} due, expected {expected}");
            }
        }

        var transfers = after.BankTransfers.Where(t => before.BankTransfers.All(b => b.BankTransferId != t.BankTransferId)).ToList();
        var spends = after.BankTransactions.Where(t => t is { Type: "SPEND", Status: not "DELETED" }
            && before.BankTransactions.All(b => b.BankTransactionId != t.BankTransactionId)).ToList();
        foreach (var payout in payouts)
        {
            var id = payout.Payout.GetProperty("payoutId").GetString()!;
            var amount = payout.Payout.GetProperty("amount").GetDecimal();
            var payoutFees = BooksCheck.Settled([payout]).Sum(s => s.Fee);
            if (payout.Outcome != "deposited" || transfers.Count(t => t.BankTransferId == payout.DepositId && t.Amount == amount
                    && t.FromCode == XeroClearingAccount && t.ToCode == XeroBankAccount && Mentions(t.Reference, id)) != 1)
            {
                Problem($"payout {id}", $"payout {id} of {amount}: {payout.Outcome}{(payout.Reason is null ? "" : $" ({payout.Reason})")}, no transfer equal to it to the bank");
            }

            if (spends.Where(t => Mentions(t.Reference, id)).Select(t => (t.BankAccountCode, t.Total)).ToList() is not [var spend]
                || spend != (XeroClearingAccount, payoutFees))
            {
                Problem($"payout {id} fees", $"payout {id}: its fees of {payoutFees} are not one spend from the clearing account");
            }
        }

        if (transfers.Count != payouts.Count || spends.Count != payouts.Count)
        {
            Problem("transfers", $"{transfers.Count} transfers and {spends.Count} fee spends recorded for {payouts.Count} payouts");
        }

        var deposited = payouts.Where(p => p.Outcome == "deposited").ToList();
        var paidOut = deposited.Sum(p => p.Payout.GetProperty("amount").GetDecimal());
        var fees = BooksCheck.Settled(deposited).Sum(s => s.Fee);
        var expectedAccounts = new (string Account, decimal Moved, string Why)[]
        {
            (XeroBankAccount, paidOut, "what the platform paid out"),
            (XeroFeesAccount, fees, "the fees of the payments paid out"),
            (XeroClearingAccount, month.Payments.Where(p => p.Stayed).Sum(p => p.Plan.Amount) - paidOut - fees,
                "the payments that stayed, less what was paid out and its fees: the last day's payments, less reversals not taken back yet"),
        };
        foreach (var (account, moved, why) in expectedAccounts)
        {
            var actual = after.Balance(account) - before.Balance(account);
            if (actual != moved)
            {
                Problem($"account {account}", $"Xero account {account} moved by {actual}, expected {moved}: {why}");
            }
        }

        problems.AddRange(BooksCheck.ConnectWiseDifferences(month, psaAfter));
        return problems;
    }

    private static bool Mentions(string? reference, string id) => reference?.Contains(id, StringComparison.Ordinal) == true;

    private static string Describe(List<XeroBookPayment> payments) => payments.Count == 0
        ? "none in Xero"
        : string.Join(", ", payments.Select(p => $"{p.PaymentId} of {p.Amount} into {p.AccountCode} for invoice {p.InvoiceId} ({p.Status})"));
}
