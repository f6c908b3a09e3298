using MassTransit;

namespace ReconMesh.Contracts.Connections;

/// <summary>
/// A tenant removed a connection it had added through InvoiceIngest's HTTP API (<c>DELETE</c>): its sync has stopped, and
/// nothing more is written to its integration. Payments for its invoices become exceptions with the reason code
/// <c>connection-removed</c>. Published once per connection, after its <see cref="ConnectionAdded"/>.
/// </summary>
/// <param name="ConnectionId">The connection removed.</param>
/// <param name="TenantId">The partner that owned it.</param>
/// <param name="RemovedBy">Who removed it: the subject of the caller's token.</param>
/// <param name="RemovedAt">When it was removed.</param>
[MessageUrn("urn:reconmesh:connections:connection-removed:v1", false)]
[EntityName("reconmesh.connections.connection-removed")]
public sealed record ConnectionRemoved(Guid ConnectionId, string TenantId, string RemovedBy, DateTimeOffset RemovedAt);
