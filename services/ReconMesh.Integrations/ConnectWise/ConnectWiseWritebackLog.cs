using Microsoft.Extensions.Logging;

namespace ReconMesh.Integrations.ConnectWise;

/// <summary>What the ConnectWise payment writeback logs, under <see cref="ConnectWisePaymentWriteback"/>'s category.</summary>
internal static partial class ConnectWiseWritebackLog
{
    // Every booking, at Debug: the writeback stream and the payment's story record it, and its trace carries it.
    [LoggerMessage(LogLevel.Debug, "Payment {MeshPaymentId} recorded in ConnectWise as payment {PaymentId} on invoice {InvoiceId}")]
    public static partial void Written(this ILogger logger, Guid meshPaymentId, int invoiceId, int? paymentId);

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId} was already recorded in ConnectWise as payment {PaymentId} on invoice {InvoiceId}")]
    public static partial void AlreadyWritten(this ILogger logger, Guid meshPaymentId, int invoiceId, int? paymentId);

    [LoggerMessage(LogLevel.Warning, "Payment {MeshPaymentId}: the answer to writing it on ConnectWise invoice {InvoiceId} was lost (attempt {Attempt}, {Error}); looking it up before writing again")]
    public static partial void AnswerLost(this ILogger logger, Guid meshPaymentId, int invoiceId, int attempt, string error);

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId}: ConnectWise payment {PaymentId} on invoice {InvoiceId} deleted")]
    public static partial void Deleted(this ILogger logger, Guid meshPaymentId, int invoiceId, int paymentId);

    [LoggerMessage(LogLevel.Information, "ConnectWise invoice {InvoiceId} paid in full: billing status set to {StatusId} (Closed)")]
    public static partial void Closed(this ILogger logger, int invoiceId, int statusId);

    [LoggerMessage(LogLevel.Information, "ConnectWise invoice {InvoiceId} open again: billing status set to {StatusId}")]
    public static partial void Reopened(this ILogger logger, int invoiceId, int statusId);

    [LoggerMessage(LogLevel.Warning, "Connection {ConnectionId}: the ConnectWise site has no active billing status with closedFlag; paid invoices stay in their status")]
    public static partial void NoClosedStatus(this ILogger logger, Guid connectionId);
}
