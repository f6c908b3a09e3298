using Microsoft.Extensions.Logging;

namespace ReconMesh.Integrations.Xero;

/// <summary>What the Xero payment writeback logs, under <see cref="XeroPaymentWriteback"/>'s category.</summary>
internal static partial class XeroWritebackLog
{
    // Every booking, at Debug: the writeback stream and the payment's story record it, and its trace carries it.
    [LoggerMessage(LogLevel.Debug, "Payment {MeshPaymentId} recorded in Xero as payment {PaymentId} on invoice {InvoiceId}")]
    public static partial void Written(this ILogger logger, Guid meshPaymentId, string paymentId, string invoiceId);

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId} was already recorded in Xero as payment {PaymentId} on invoice {InvoiceId}")]
    public static partial void AlreadyWritten(this ILogger logger, Guid meshPaymentId, string paymentId, string invoiceId);

    [LoggerMessage(LogLevel.Warning, "Payment {MeshPaymentId}: the answer to writing it on Xero invoice {InvoiceId} was lost (attempt {Attempt}, {Error}); looking it up before writing again")]
    public static partial void AnswerLost(this ILogger logger, Guid meshPaymentId, string invoiceId, int attempt, string error);

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId}: Xero payment {PaymentId} deleted")]
    public static partial void Deleted(this ILogger logger, Guid meshPaymentId, string paymentId);
}
