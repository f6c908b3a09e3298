using Microsoft.Extensions.Logging;
using ReconMesh.Contracts;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.Xero;

/// <summary>
/// Records a platform payment in Xero as one payment per invoice into the connection's clearing account
/// (<see cref="XeroPaymentWrite"/>), and reverts it by deleting them (<see cref="XeroPaymentReversal"/>).
/// Exactly once: every payment carries <see cref="IdempotencyKeys.Marker"/> in its <c>Reference</c>, and each invoice's
/// payments are looked at for that marker before anything is written, and again when a write's answer was lost.
/// Xero's <c>Idempotency-Key</c> header is not used: the team's reference does not confirm that Xero honours it, and a
/// retried PUT must not be able to book twice, so the pipeline never repeats the PUT and copies of one write take turns.
/// </summary>
public sealed class XeroPaymentWriteback(XeroClientFactory clients, ILogger<XeroPaymentWriteback> logger) : IPaymentWriteback
{
    private readonly XeroPaymentWrite _write = new(logger);
    private readonly XeroPaymentReversal _reversal = new(logger);

    public IntegrationKind Kind => IntegrationKind.Xero;

    /// <summary>No idempotency key ReconMesh relies on: the adapter looks for the marker before it writes, under the payment's lock.</summary>
    public bool WritesAreIdempotent => false;

    public async Task<WritebackOutcome> WriteAsync(ConnectionSettings connection, PaymentWriteRequest request, CancellationToken cancellationToken) =>
        await _write.WriteAsync(clients.Create(connection), connection, request, cancellationToken);

    public async Task<WritebackOutcome.Written?> FindWrittenAsync(ConnectionSettings connection, PaymentWriteRequest request,
        CancellationToken cancellationToken) =>
        await XeroPaymentWrite.FindAsync(clients.Create(connection), request, cancellationToken);

    public async Task<WritebackOutcome> ReverseAsync(ConnectionSettings connection, PaymentReversalRequest request, CancellationToken cancellationToken) =>
        await _reversal.ReverseAsync(clients.Create(connection), request, cancellationToken);
}
