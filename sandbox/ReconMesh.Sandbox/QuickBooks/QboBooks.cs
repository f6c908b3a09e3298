namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>What a simulated company holds, as the admin API's <c>/books</c> reports it (camelCase on the wire).</summary>
public sealed record QboBooks(
    IReadOnlyList<QboBookInvoice> Invoices, IReadOnlyList<QboBookPayment> Payments, long RequestCount, long ThrottledCount,
    IReadOnlyList<QboBookDeposit> Deposits, IReadOnlyList<QboBookAccount> Accounts, long StaleWritesRefused);

/// <summary>One invoice, deleted and voided ones included.</summary>
public sealed record QboBookInvoice(
    string Id, string? DocNumber, string? CustomerId, decimal TotalAmt, decimal Balance, bool Voided, bool Deleted, IReadOnlyList<string> LinkedPaymentIds);

/// <summary>One payment, deleted and voided ones included.</summary>
public sealed record QboBookPayment(
    string Id, string? CustomerId, decimal TotalAmt, decimal UnappliedAmt, bool Voided, bool Deleted, string? PrivateNote, string? PaymentRefNum,
    IReadOnlyList<QboBookPaymentLine> Lines, string? DepositId);

/// <summary>A payment line: the amount it applies to one invoice.</summary>
public sealed record QboBookPaymentLine(string InvoiceId, decimal Amount);

/// <summary>One live deposit: the account it went to, its total, and its lines.</summary>
public sealed record QboBookDeposit(string Id, string? DepositToAccountId, decimal TotalAmt, IReadOnlyList<QboBookDepositLine> Lines);

/// <summary>A deposit line: a deposited payment (paymentId) or a direct line to an account (accountId).</summary>
public sealed record QboBookDepositLine(decimal Amount, string? PaymentId, string? AccountId);

/// <summary>One account of the chart of accounts with its current balance (see the sign convention on QboCompany).</summary>
public sealed record QboBookAccount(string Id, string? Name, string? AccountType, string? AccountSubType, decimal CurrentBalance);

/// <summary>Body of <c>POST /admin/qbo/companies/{realmId}/seed</c>.</summary>
/// <param name="Customers">Customers to create.</param>
/// <param name="Invoices">Open invoices to create for them (or for the company's customers when none are asked for).</param>
/// <param name="Currency">Their currency code (USD by default).</param>
/// <param name="Seed">The random seed: the same seed gives the same data.</param>
/// <param name="Paid">How many of the new invoices are then paid in full (a Payment linked to each), so not open.</param>
public sealed record QboSeedRequest(int Customers, int Invoices, string? Currency, int? Seed, int Paid = 0);

/// <summary>Ids of what a seed created.</summary>
public sealed record QboSeedResult(IReadOnlyList<string> Customers, IReadOnlyList<string> Invoices);
