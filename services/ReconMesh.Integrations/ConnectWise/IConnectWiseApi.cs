using Refit;

namespace ReconMesh.Integrations.ConnectWise;

/// <summary>
/// The ConnectWise PSA (Manage REST API 3.0) calls ReconMesh makes, relative to <c>{site}/v4_6_release/apis/3.0/</c>.
/// Authentication (Basic <c>companyId+publicKey:privateKey</c>) and the <c>clientId</c> header are added by the HTTP client.
/// </summary>
public interface IConnectWiseApi
{
    /// <summary>Navigable paging: <paramref name="page"/> is 1-based; at most 1000 rows per page.</summary>
    [Get("/finance/invoices")]
    Task<List<ConnectWiseInvoice>> ListInvoicesAsync(string? conditions, string? orderBy, int? page, int? pageSize, CancellationToken cancellationToken = default);

    /// <summary>Forward-only paging: the invoices with <c>id &gt; pageId</c>, in id order, a stable order whatever changes meanwhile.</summary>
    [Get("/finance/invoices")]
    [Headers("pagination-type: forward-only")]
    Task<List<ConnectWiseInvoice>> ListInvoicesAfterAsync(string? conditions, int pageId, int pageSize, CancellationToken cancellationToken = default);

    /// <summary>Only the fields named (e.g. <c>id</c>) of the invoices matching <paramref name="conditions"/>, in id order.</summary>
    [Get("/finance/invoices")]
    Task<List<ConnectWiseInvoice>> ListInvoiceFieldsAsync(string conditions, string fields, string orderBy, int pageSize, CancellationToken cancellationToken = default);

    [Get("/finance/invoices/{invoiceId}")]
    Task<ConnectWiseInvoice> GetInvoiceAsync(int invoiceId, CancellationToken cancellationToken = default);

    /// <summary>Changes the invoice with a JSON-Patch array, e.g. <c>[{"op":"replace","path":"status","value":{"id":3}}]</c>.</summary>
    [Patch("/finance/invoices/{invoiceId}")]
    Task<ConnectWiseInvoice> PatchInvoiceAsync(int invoiceId, [Body] IReadOnlyList<ConnectWisePatchOperation> operations, CancellationToken cancellationToken = default);

    [Get("/finance/invoices/{invoiceId}/payments")]
    Task<List<ConnectWisePayment>> ListPaymentsAsync(int invoiceId, int? pageSize = 1000, CancellationToken cancellationToken = default);

    /// <summary>Not idempotent (ConnectWise has no idempotency key): look for an earlier write before calling it again.</summary>
    [Post("/finance/invoices/{invoiceId}/payments")]
    Task<ConnectWisePayment> CreatePaymentAsync(int invoiceId, [Body] ConnectWisePayment payment, CancellationToken cancellationToken = default);

    [Delete("/finance/invoices/{invoiceId}/payments/{paymentId}")]
    Task DeletePaymentAsync(int invoiceId, int paymentId, CancellationToken cancellationToken = default);

    [Get("/finance/billingStatuses")]
    Task<List<ConnectWiseBillingStatus>> ListBillingStatusesAsync(string? conditions = null, int? pageSize = 1000, CancellationToken cancellationToken = default);

    [Get("/company/contacts")]
    Task<List<ConnectWiseContact>> ListContactsAsync(string? conditions, int? page, int? pageSize, CancellationToken cancellationToken = default);

    /// <summary>The signing key of callbacks (the id is the last segment of a callback's <c>Metadata.key_url</c>).</summary>
    [Get("/system/callbackKeys/{keyId}")]
    Task<ConnectWiseCallbackKey> GetCallbackKeyAsync(string keyId, CancellationToken cancellationToken = default);
}
