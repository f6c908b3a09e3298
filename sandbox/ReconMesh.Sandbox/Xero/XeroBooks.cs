namespace ReconMesh.Sandbox.Xero;

/// <summary>What <c>GET /admin/xero/organisations/{tenantId}/books</c> reports: the organisation's records and counters.</summary>
public sealed record XeroBooks(
    string TenantId,
    string Name,
    string BaseCurrency,
    XeroBookLimits Limits,
    long Requests,
    long Throttled,
    long IdempotentReplays,
    IReadOnlyList<XeroBookContact> Contacts,
    IReadOnlyList<XeroBookAccount> Accounts,
    IReadOnlyList<XeroBookInvoice> Invoices,
    IReadOnlyList<XeroBookPayment> Payments,
    IReadOnlyList<XeroBookTransfer> BankTransfers,
    IReadOnlyList<XeroBookBankTransaction> BankTransactions);

public sealed record XeroBookLimits(int RequestsPerMinute, int MaxConcurrent, int RequestsPerDay);

public sealed record XeroBookContact(Guid ContactId, string Name, string? EmailAddress, string ContactStatus, int ContactPersons);

public sealed record XeroBookAccount(Guid AccountId, string Code, string Name, string Type, bool EnablePaymentsToAccount, string Status, decimal Balance);

public sealed record XeroBookInvoice(
    Guid InvoiceId, string InvoiceNumber, Guid ContactId, string Status, decimal Total, decimal AmountPaid, decimal AmountDue,
    DateTimeOffset UpdatedDateUtc, IReadOnlyList<Guid> PaymentIds);

public sealed record XeroBookPayment(Guid PaymentId, Guid InvoiceId, string AccountCode, DateOnly Date, decimal Amount, string? Reference, string Status);

public sealed record XeroBookTransfer(Guid BankTransferId, string FromCode, string ToCode, DateOnly Date, decimal Amount, string? Reference);

public sealed record XeroBookBankTransaction(Guid BankTransactionId, string Type, string BankAccountCode, DateOnly Date, decimal Total, string? Reference, string Status);
