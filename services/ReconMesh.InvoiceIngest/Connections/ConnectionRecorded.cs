using ReconMesh.Integrations.Connections;

namespace ReconMesh.InvoiceIngest.Connections;

/// <summary>
/// The first event of a connection's stream: a tenant added it through the API. Relayed as
/// <see cref="Contracts.Connections.ConnectionAdded"/>, so the other services learn of it from the same outbox as the
/// invoices it brings.
/// </summary>
public sealed record ConnectionRecorded(ConnectionRegistration Registration);
