using Microsoft.Extensions.Logging;

namespace ReconMesh.Integrations.QuickBooks;

/// <summary>What the QuickBooks payment writeback logs, under <see cref="QuickBooksPaymentWriteback"/>'s category.</summary>
internal static partial class QuickBooksWritebackLog
{
    // Every booking, at Debug: the writeback stream and the payment's story record it, and its trace carries it.
    [LoggerMessage(LogLevel.Debug, "Payment {MeshPaymentId} recorded in QuickBooks as Payment {QboPaymentId} for customer {CustomerId}")]
    public static partial void Written(this ILogger logger, Guid meshPaymentId, string? qboPaymentId, string customerId);

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId}: QuickBooks Payment {QboPaymentId} voided")]
    public static partial void Voided(this ILogger logger, Guid meshPaymentId, string qboPaymentId);

    [LoggerMessage(LogLevel.Information,
        "Payment {MeshPaymentId}: QuickBooks Payment {QboPaymentId} is deposited; invoice {InvoiceId} reinstates its {Amount}")]
    public static partial void Reinstated(this ILogger logger, Guid meshPaymentId, string? qboPaymentId, string invoiceId, decimal amount);

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId} was already recorded in QuickBooks as Payment {QboPaymentId}")]
    public static partial void AlreadyWritten(this ILogger logger, Guid meshPaymentId, string qboPaymentId);
}
