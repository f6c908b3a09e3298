using Refit;

namespace ReconMesh.Integrations.Xero;

/// <summary>
/// The Xero Accounting API 2.0 calls ReconMesh makes. The bearer token and the organisation (<c>xero-tenant-id</c>)
/// are added by the HTTP client (<see cref="XeroClientFactory"/>). Xero's collections page 100 records a page.
/// </summary>
public interface IXeroApi
{
    /// <summary>
    /// A page of invoices. <paramref name="modifiedSince"/> (an HTTP date) limits them to those created or changed
    /// since; <paramref name="statuses"/> is a comma-separated list of statuses.
    /// </summary>
    [Get("/api.xro/2.0/Invoices")]
    Task<XeroInvoicesEnvelope> InvoicesAsync([AliasAs("where")] string? where, [AliasAs("Statuses")] string? statuses, [AliasAs("order")] string? order,
        [AliasAs("page")] int page, [Header("If-Modified-Since")] string? modifiedSince, CancellationToken cancellationToken = default);

    /// <summary>One invoice with its lines and its payments (deleted payments are not listed).</summary>
    [Get("/api.xro/2.0/Invoices/{invoiceId}")]
    Task<XeroInvoicesEnvelope> InvoiceAsync(string invoiceId, CancellationToken cancellationToken = default);

    /// <summary>The invoices with these numbers (comma-separated), any status.</summary>
    [Get("/api.xro/2.0/Invoices")]
    Task<XeroInvoicesEnvelope> InvoicesByNumberAsync([AliasAs("InvoiceNumbers")] string numbers, [AliasAs("page")] int page = 1,
        CancellationToken cancellationToken = default);

    /// <summary>The contacts with these ids (comma-separated).</summary>
    [Get("/api.xro/2.0/Contacts")]
    Task<XeroContactsEnvelope> ContactsAsync([AliasAs("IDs")] string ids, CancellationToken cancellationToken = default);

    [Get("/api.xro/2.0/Payments/{paymentId}")]
    Task<XeroPaymentsEnvelope> PaymentAsync(string paymentId, CancellationToken cancellationToken = default);

    /// <summary>Creates a payment against an invoice. Xero has no idempotency key ReconMesh relies on: the adapter looks before writing.</summary>
    [Put("/api.xro/2.0/Payments")]
    Task<XeroPaymentsEnvelope> CreatePaymentAsync([Body] XeroNewPayment payment, CancellationToken cancellationToken = default);

    /// <summary>Deletes a payment (its only change Xero takes): the amount is owed on the invoice again.</summary>
    [Post("/api.xro/2.0/Payments/{paymentId}")]
    Task<XeroPaymentsEnvelope> DeletePaymentAsync(string paymentId, [Body] XeroStatusChange change, CancellationToken cancellationToken = default);

    /// <summary>Bank transfers matching <paramref name="where"/>.</summary>
    [Get("/api.xro/2.0/BankTransfers")]
    Task<XeroBankTransfersEnvelope> BankTransfersAsync([AliasAs("where")] string where, CancellationToken cancellationToken = default);

    /// <summary>Moves money between two BANK accounts.</summary>
    [Put("/api.xro/2.0/BankTransfers")]
    Task<XeroBankTransfersEnvelope> CreateBankTransferAsync([Body] XeroNewBankTransfer transfer, CancellationToken cancellationToken = default);

    /// <summary>Bank transactions (spend and receive money) matching <paramref name="where"/>.</summary>
    [Get("/api.xro/2.0/BankTransactions")]
    Task<XeroBankTransactionsEnvelope> BankTransactionsAsync([AliasAs("where")] string where, CancellationToken cancellationToken = default);

    /// <summary>Records money spent from (or received into) a BANK account.</summary>
    [Put("/api.xro/2.0/BankTransactions")]
    Task<XeroBankTransactionsEnvelope> CreateBankTransactionAsync([Body] XeroNewBankTransaction transaction, CancellationToken cancellationToken = default);
}
