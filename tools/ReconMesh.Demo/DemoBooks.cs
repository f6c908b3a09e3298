using static ReconMesh.Demo.SandboxClient;

namespace ReconMesh.Demo;

/// <summary>
/// A tenant's books after the month, as the report shows them whatever they are (QuickBooks Online or Xero): what they
/// are called, the deposits (Xero: transfers to the bank) recorded since the month began, the API requests they
/// answered, and the words for what happened to a reversed payment; and the entry-by-entry check of them.
/// </summary>
internal sealed record DemoBooks(string Name, int Deposits, decimal Deposited, long Requests, long Throttled, string ReturnedEarly, string ReversedLate,
    string Waiting, IReadOnlyList<(string Subject, string Problem)> Problems)
{
    public static async Task<DemoBooks> ReadAsync(DemoMonth month, SandboxClient sandbox, CwBooks? psa, IReadOnlyList<PlatformPayout> payouts)
    {
        // Autotask keeps only whether each invoice is paid, beside whichever books it is paired with.
        IReadOnlyList<(string Subject, string Problem)> autotask = month.Tenant.Autotask is { } database
            ? AutotaskBooksCheck.Differences(month.Tenant.Id, (await sandbox.AutotaskBooksAsync(database.DatabaseId)).Invoices, AutotaskBooksCheck.Stayed(month))
            : [];
        if (month.Tenant.Xero is { } organisation)
        {
            var xero = await sandbox.XeroBooksAsync(organisation.TenantId);
            var transfers = xero.BankTransfers.Where(t => month.XeroBefore?.BankTransfers.All(b => b.BankTransferId != t.BankTransferId) ?? true).ToList();
            return new DemoBooks("Xero", transfers.Count, transfers.Sum(t => t.Amount), xero.Requests, xero.Throttled,
                "(the Xero payment deleted, never paid out)", "the Xero payments deleted, taken back by a later payout's smaller transfer",
                "in the clearing account", [.. XeroBooksCheck.Differences(month, xero, psa, payouts), .. autotask]);
        }

        var books = await sandbox.BooksAsync(month.Tenant.Realm);
        var deposits = books.Deposits.Where(d => month.QuickBooksBefore?.Deposits.All(b => b.Id != d.Id) ?? true).ToList();
        return new DemoBooks("QuickBooks", deposits.Count, deposits.Sum(d => d.TotalAmt), books.RequestCount, books.ThrottledCount,
            "(the QuickBooks Payment voided, never deposited)", "reinstatement invoices, taken back by a later payout",
            "in Undeposited Funds", [.. BooksCheck.Differences(month, books, psa, payouts), .. autotask]);
    }
}
