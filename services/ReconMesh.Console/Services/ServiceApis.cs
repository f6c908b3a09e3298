using Refit;

namespace ReconMesh.OperatorConsole.Services;

/// <summary>InvoiceIngest's operator API, as much of it as the console uses.</summary>
public interface IInvoiceIngestApi
{
    [Get("/tenants/{tenant}/connections")]
    Task<IApiResponse<List<ConnectionView>>> ConnectionsAsync(string tenant, CancellationToken cancellationToken);

    [Get("/tenants/{tenant}/connections/{connectionId}")]
    Task<IApiResponse<ConnectionView>> ConnectionAsync(string tenant, Guid connectionId, CancellationToken cancellationToken);

    [Post("/tenants/{tenant}/connections/{connectionId}/pause")]
    Task<IApiResponse<ConnectionView>> PauseAsync(string tenant, Guid connectionId, CancellationToken cancellationToken);

    [Post("/tenants/{tenant}/connections/{connectionId}/resume")]
    Task<IApiResponse<ConnectionView>> ResumeAsync(string tenant, Guid connectionId, CancellationToken cancellationToken);

    [Post("/tenants/{tenant}/connections/{connectionId}/reconcile")]
    Task<IApiResponse> ReconcileAsync(string tenant, Guid connectionId, CancellationToken cancellationToken);

    [Get("/tenants/{tenant}/invoices")]
    Task<IApiResponse<List<InvoiceSnapshot>>> InvoicesAsync(string tenant, bool? open, int page, int pageSize, CancellationToken cancellationToken);

    [Get("/tenants/{tenant}/invoices")]
    Task<IApiResponse<List<InvoiceSnapshot>>> InvoicesNumberedAsync(string tenant, string number, CancellationToken cancellationToken);

    [Get("/tenants/{tenant}/invoices")]
    Task<IApiResponse<List<InvoiceSnapshot>>> InvoicesOfCustomerAsync(string tenant, string customer, int pageSize, CancellationToken cancellationToken);

    [Get("/tenants/{tenant}/invoices/{invoiceId}")]
    Task<IApiResponse<InvoiceDetails>> InvoiceAsync(string tenant, Guid invoiceId, CancellationToken cancellationToken);
}

/// <summary>WritebackService's operator API, as much of it as the console uses.</summary>
public interface IWritebackApi
{
    [Get("/tenants/{tenant}/payments")]
    Task<IApiResponse<PaymentStates>> PaymentStatesAsync(string tenant, CancellationToken cancellationToken);

    [Get("/tenants/{tenant}/exceptions")]
    Task<IApiResponse<List<PaymentDetails>>> ExceptionsAsync(string tenant, CancellationToken cancellationToken);

    [Get("/tenants/{tenant}/payments/{meshPaymentId}")]
    Task<IApiResponse<PaymentDetails>> PaymentAsync(string tenant, Guid meshPaymentId, CancellationToken cancellationToken);

    [Get("/tenants/{tenant}/platform-payments/{paymentId}")]
    Task<IApiResponse<PaymentDetails>> PlatformPaymentAsync(string tenant, string paymentId, CancellationToken cancellationToken);

    [Get("/tenants/{tenant}/payouts")]
    Task<IApiResponse<PayoutPage>> PayoutsAsync(string tenant, int page, int pageSize, bool? attention, CancellationToken cancellationToken);

    [Post("/tenants/{tenant}/exceptions/{meshPaymentId}/retry")]
    Task<IApiResponse> RetryAsync(string tenant, Guid meshPaymentId, [Body] RetryRequest request, CancellationToken cancellationToken);

    [Post("/tenants/{tenant}/exceptions/{meshPaymentId}/dismiss")]
    Task<IApiResponse> DismissAsync(string tenant, Guid meshPaymentId, [Body] DismissRequest request, CancellationToken cancellationToken);
}
