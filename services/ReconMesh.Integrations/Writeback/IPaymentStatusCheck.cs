using ReconMesh.Contracts;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.Integrations.Writeback;

/// <summary>
/// An integration that records only whether an invoice is paid, never an amount (Autotask PSA): its
/// <see cref="IPaymentWriteback"/> marks paid the invoices its paired books say are settled. Before the money is written
/// to those books, its invoices are checked here, so a payment for an invoice it shows voided or paid by someone else is
/// written nowhere. Registering one for a kind is what makes the kind status-only for the deciders.
/// </summary>
public interface IPaymentStatusCheck
{
    IntegrationKind Kind { get; }

    /// <summary>Why the invoices the request names cannot be paid as the integration holds them now, or null when they can. Writes nothing.</summary>
    Task<WritebackOutcome.NeedsAttention?> CheckAsync(ConnectionSettings connection, PaymentWriteRequest request, CancellationToken cancellationToken);
}
