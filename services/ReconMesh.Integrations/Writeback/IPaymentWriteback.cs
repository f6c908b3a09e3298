using ReconMesh.Contracts;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.Integrations.Writeback;

/// <summary>
/// Writes a payment's status into one kind of integration, exactly once in effect: a retry after a timeout or a
/// crash must find or replay the first write, never add a second. Transient failures (throttling, 5xx, timeouts)
/// are thrown to be retried; anything a person must decide is returned as <see cref="WritebackOutcome.NeedsAttention"/>.
/// </summary>
public interface IPaymentWriteback
{
    IntegrationKind Kind { get; }

    /// <summary>
    /// The integration itself answers a repeated write with the first one (an idempotency key it honours), so two copies
    /// of one command writing at the same moment book the payment once. Without it, the writes take turns.
    /// </summary>
    bool WritesAreIdempotent { get; }

    Task<WritebackOutcome> WriteAsync(ConnectionSettings connection, PaymentWriteRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the reads a write of the request begins with (the invoices as the integration holds them now), for a caller
    /// with work of its own to finish before it may write: the write is then judged on them
    /// (<see cref="WriteAsync(ConnectionSettings, PaymentWriteRequest, WriteReadAhead?, CancellationToken)"/>). Nothing is
    /// written. Null when this integration reads nothing ahead. A read that fails is made again by the write.
    /// </summary>
    WriteReadAhead? ReadAhead(ConnectionSettings connection, PaymentWriteRequest request, CancellationToken cancellationToken) => null;

    /// <summary>As <see cref="WriteAsync(ConnectionSettings, PaymentWriteRequest, CancellationToken)"/>, with what <see cref="ReadAhead"/> read.</summary>
    Task<WritebackOutcome> WriteAsync(ConnectionSettings connection, PaymentWriteRequest request, WriteReadAhead? ahead, CancellationToken cancellationToken) =>
        WriteAsync(connection, request, cancellationToken);

    /// <summary>
    /// What an earlier <see cref="WriteAsync(ConnectionSettings, PaymentWriteRequest, CancellationToken)"/> of this payment booked, found by its marker without writing anything; null
    /// when nothing was. Asked before a failed payment is cancelled: a write whose record was lost must be reverted, not
    /// forgotten. Only the invoices the request names are looked at; one deleted since holds nothing.
    /// </summary>
    Task<WritebackOutcome.Written?> FindWrittenAsync(ConnectionSettings connection, PaymentWriteRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Reverts what <see cref="WriteAsync(ConnectionSettings, PaymentWriteRequest, CancellationToken)"/> wrote for a payment that failed, was refunded or charged back afterwards,
    /// so the customer owes the amount again. Idempotent: what is already reverted stays as it is.
    /// </summary>
    Task<WritebackOutcome> ReverseAsync(ConnectionSettings connection, PaymentReversalRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Reads started for a write before the caller may write (<see cref="IPaymentWriteback.ReadAhead"/>); only the adapter
/// that started them reads them.
/// </summary>
public abstract class WriteReadAhead;
