namespace ReconMesh.Demo;

/// <summary>
/// The accountant's check of the demo: every invoice the platform was paid for is paid in the books exactly once,
/// by a payment of exactly its amount, and nothing else was booked.
/// </summary>
internal static class BooksCheck
{
    public static IReadOnlyList<string> Differences(SandboxClient.Books books, IReadOnlyDictionary<string, decimal> paidByExternalInvoiceId)
    {
        var problems = new List<string>();
        var invoices = books.Invoices.Where(i => !i.Deleted).ToDictionary(i => i.Id);
        var payments = books.Payments.Where(p => !p.Deleted && !p.Voided).ToList();
        var appliedByInvoice = payments.SelectMany(p => p.Lines).GroupBy(l => l.InvoiceId)
            .ToDictionary(g => g.Key, g => (Sum: g.Sum(l => l.Amount), Count: g.Count()));

        foreach (var (externalId, paid) in paidByExternalInvoiceId)
        {
            if (!invoices.TryGetValue(externalId, out var invoice))
            {
                problems.Add($"invoice {externalId}: missing from the books");
                continue;
            }

            var applied = appliedByInvoice.GetValueOrDefault(externalId);
            if (applied.Count != 1)
            {
                problems.Add($"invoice {invoice.DocNumber}: {applied.Count} payments applied, expected 1");
            }

            if (applied.Sum != paid)
            {
                problems.Add($"invoice {invoice.DocNumber}: {applied.Sum} applied in the books, the platform was paid {paid}");
            }

            if (invoice.Balance != invoice.TotalAmt - paid)
            {
                problems.Add($"invoice {invoice.DocNumber}: balance {invoice.Balance}, expected {invoice.TotalAmt - paid}");
            }
        }

        foreach (var (invoiceId, applied) in appliedByInvoice.Where(a => !paidByExternalInvoiceId.ContainsKey(a.Key)))
        {
            problems.Add($"invoice {invoiceId}: {applied.Sum} applied in the books, but the platform took no payment for it");
        }

        var booked = payments.Sum(p => p.TotalAmt);
        var expected = paidByExternalInvoiceId.Values.Sum();
        if (booked != expected)
        {
            problems.Add($"payments booked total {booked}, the platform took {expected}");
        }

        return problems;
    }
}
