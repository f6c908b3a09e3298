using MassTransit;

namespace ReconMesh.Contracts.Invoices;

/// <summary>
/// A payment names invoices WritebackService has not heard of, and waits for them. Before it waits, InvoiceIngest is
/// asked to announce them again: each of them it holds is published again as it last was (in an <see cref="InvoicesSynced"/>
/// with the others it holds), in case that announcement was lost on the way. For one it does not
/// hold yet, the sync of the tenant's connections is woken, and announces it as soon as the integration has it.
/// Published again each time the payment starts waiting. When the request carries a response address, the invoices held
/// are sent there only (a queue of the asker's for answers) instead of published, so that they do not wait behind
/// whatever the asker's subscription queue holds.
/// </summary>
/// <param name="MeshPaymentId">ReconMesh's id for the payment that waits.</param>
/// <param name="PaymentId">The platform's id for that payment.</param>
/// <param name="TenantId">The partner the payment and the invoices belong to.</param>
/// <param name="InvoiceIds">ReconMesh's ids of the invoices it waits for.</param>
/// <param name="AwaitedAt">When the payment started waiting for them.</param>
[MessageUrn("urn:reconmesh:invoices:invoices-awaited:v1", false)]
[EntityName("reconmesh.invoices.invoices-awaited")]
public sealed record InvoicesAwaited(Guid MeshPaymentId, string PaymentId, string TenantId, IReadOnlyList<Guid> InvoiceIds, DateTimeOffset AwaitedAt);
