using Refit;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>
/// The QuickBooks Online Accounting API v3 calls ReconMesh makes. Authentication (bearer token) is added by the
/// HTTP client; <c>minorversion=75</c> is the version these shapes were written against.
/// </summary>
public interface IQuickBooksApi
{
    [Get("/v3/company/{realmId}/query?minorversion=75")]
    Task<QboQueryEnvelope> QueryAsync(string realmId, [AliasAs("query")] string query, CancellationToken cancellationToken = default);

    /// <summary>Change data capture: what changed (deleted entities included) since a time at most 30 days back.</summary>
    [Get("/v3/company/{realmId}/cdc?minorversion=75")]
    Task<QboCdcEnvelope> ChangeDataCaptureAsync(string realmId, [AliasAs("entities")] string entities, [AliasAs("changedSince")] string changedSince,
        CancellationToken cancellationToken = default);

    [Get("/v3/company/{realmId}/invoice/{invoiceId}?minorversion=75")]
    Task<QboInvoiceEnvelope> GetInvoiceAsync(string realmId, string invoiceId, CancellationToken cancellationToken = default);

    [Get("/v3/company/{realmId}/payment/{paymentId}?minorversion=75")]
    Task<QboPaymentEnvelope> GetPaymentAsync(string realmId, string paymentId, CancellationToken cancellationToken = default);

    /// <summary>Voids a payment: its amounts become zero and the invoices it paid are open again.</summary>
    [Post("/v3/company/{realmId}/payment?operation=update&include=void&minorversion=75")]
    Task<QboPaymentEnvelope> VoidPaymentAsync(string realmId, [Body] QboVoidRequest request, [AliasAs("requestid")] string requestId, CancellationToken cancellationToken = default);

    /// <summary>Creates a deposit; <paramref name="requestId"/> makes a retry return the first deposit instead of depositing twice.</summary>
    [Post("/v3/company/{realmId}/deposit?minorversion=75")]
    Task<QboDepositEnvelope> CreateDepositAsync(string realmId, [Body] QboDeposit deposit, [AliasAs("requestid")] string requestId, CancellationToken cancellationToken = default);

    [Post("/v3/company/{realmId}/invoice?operation=void&minorversion=75")]
    Task<QboInvoiceEnvelope> VoidInvoiceAsync(string realmId, [Body] QboVoidRequest request, [AliasAs("requestid")] string requestId, CancellationToken cancellationToken = default);

    [Post("/v3/company/{realmId}/item?minorversion=75")]
    Task<QboItemEnvelope> CreateItemAsync(string realmId, [Body] QboItem item, [AliasAs("requestid")] string requestId, CancellationToken cancellationToken = default);

    [Post("/v3/company/{realmId}/invoice?minorversion=75")]
    Task<QboInvoiceEnvelope> CreateInvoiceAsync(string realmId, [Body] QboNewInvoice invoice, [AliasAs("requestid")] string requestId, CancellationToken cancellationToken = default);

    [Post("/v3/company/{realmId}/account?minorversion=75")]
    Task<QboAccountEnvelope> CreateAccountAsync(string realmId, [Body] QboAccount account, [AliasAs("requestid")] string requestId, CancellationToken cancellationToken = default);

    /// <summary>Creates a payment. <paramref name="requestId"/> makes a retry return the first response instead of paying twice.</summary>
    [Post("/v3/company/{realmId}/payment?minorversion=75")]
    Task<QboPaymentEnvelope> CreatePaymentAsync(string realmId, [Body] QboPayment payment, [AliasAs("requestid")] string requestId, CancellationToken cancellationToken = default);
}
