using Microsoft.Extensions.Logging;
using ReconMesh.Contracts;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.Integrations.ConnectWise;

/// <summary>
/// Records a platform payment in ConnectWise PSA as one invoice payment per invoice, and closes each invoice it pays
/// in full (<see cref="ConnectWisePaymentWrite"/>); reverts it (<see cref="ConnectWisePaymentReversal"/>).
/// Exactly once: ConnectWise has no idempotency key, so every payment carries <see cref="IdempotencyKeys.Marker"/> in
/// its <c>appliedBy</c> field (the Payment type's only free-text field; the marker is exactly its 50 characters), and
/// the invoice's payments are looked up for that marker before anything is written, and again when a write's answer
/// was lost. Nothing is written blindly: each invoice is re-read first, and one that was deleted, paid or credited
/// elsewhere, or is in another currency becomes a needs-attention outcome before any invoice is written
/// (<see cref="ConnectWiseWriteRules"/>). External payment ids are <see cref="ConnectWisePaymentIds">{invoiceId}/{paymentId}</see>.
/// ConnectWise's errors arrive as <see cref="ConnectWiseException"/>, translated by the client itself.
/// </summary>
public sealed class ConnectWisePaymentWriteback : IPaymentWriteback
{
    private readonly ConnectWiseClientFactory _clients;
    private readonly ConnectWisePaymentWrite _write;
    private readonly ConnectWisePaymentReversal _reversal;

    public ConnectWisePaymentWriteback(ConnectWiseClientFactory clients, ILogger<ConnectWisePaymentWriteback> logger)
    {
        _clients = clients;
        // One cache of the sites' billing statuses, for as long as this (singleton) writeback lives.
        var statuses = new ConnectWiseBillingStatuses(logger);
        _write = new ConnectWisePaymentWrite(statuses, logger);
        _reversal = new ConnectWisePaymentReversal(statuses, logger);
    }

    public IntegrationKind Kind => IntegrationKind.ConnectWisePsa;

    /// <summary>ConnectWise has no idempotency key: the adapter looks for the mesh's reference before it writes.</summary>
    public bool WritesAreIdempotent => false;

    public async Task<WritebackOutcome> WriteAsync(ConnectionSettings connection, PaymentWriteRequest request, CancellationToken cancellationToken) =>
        await _write.WriteAsync(_clients.Create(connection), connection, request, cancellationToken);

    public async Task<WritebackOutcome.Written?> FindWrittenAsync(ConnectionSettings connection, PaymentWriteRequest request,
        CancellationToken cancellationToken) =>
        await ConnectWisePaymentWrite.FindAsync(_clients.Create(connection), request, cancellationToken);

    public async Task<WritebackOutcome> ReverseAsync(ConnectionSettings connection, PaymentReversalRequest request, CancellationToken cancellationToken) =>
        await _reversal.ReverseAsync(_clients.Create(connection), connection, request, cancellationToken);
}
