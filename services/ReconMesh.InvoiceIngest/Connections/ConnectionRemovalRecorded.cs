namespace ReconMesh.InvoiceIngest.Connections;

/// <summary>
/// The last event of a connection's stream: a tenant removed it through the API. Relayed as
/// <see cref="Contracts.Connections.ConnectionRemoved"/>, so WritebackService stops writing to it.
/// </summary>
public sealed record ConnectionRemovalRecorded(Guid ConnectionId, string TenantId, string RemovedBy, DateTimeOffset RemovedAt);
