using Microsoft.Extensions.Logging;

namespace ReconMesh.Integrations.Autotask;

/// <summary>What the Autotask payment writeback logs, under <see cref="AutotaskPaymentWriteback"/>'s category.</summary>
internal static partial class AutotaskWritebackLog
{
    // Every booking, at Debug: the writeback stream and the payment's story record it, and its trace carries it.
    [LoggerMessage(LogLevel.Debug, "Payment {MeshPaymentId} marked Autotask invoice {InvoiceId} paid")]
    public static partial void MarkedPaid(this ILogger logger, Guid meshPaymentId, long invoiceId);

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId}: Autotask invoice {InvoiceId} was already marked paid")]
    public static partial void AlreadyMarked(this ILogger logger, Guid meshPaymentId, long invoiceId);

    [LoggerMessage(LogLevel.Warning, "Payment {MeshPaymentId}: marking Autotask invoice {InvoiceId} paid got no usable answer (attempt {Attempt}, {Error}); reading it before writing again")]
    public static partial void AnswerLost(this ILogger logger, Guid meshPaymentId, long invoiceId, int attempt, string error);

    [LoggerMessage(LogLevel.Information, "Payment {MeshPaymentId} reversed: Autotask invoice {InvoiceId} is no longer marked paid")]
    public static partial void Cleared(this ILogger logger, Guid meshPaymentId, long invoiceId);
}
