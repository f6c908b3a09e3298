using ReconMesh.Contracts;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>The connections, adapters and directories WritebackService has, as the facts the deciders need and the parts that act.</summary>
public sealed class WritebackConnections(ConnectionCatalog catalog, IEnumerable<IPaymentWriteback> adapters, IEnumerable<IInvoiceDirectory> directories,
    IEnumerable<IPaymentStatusCheck> statusChecks)
{
    public async ValueTask<(ConnectionFacts Facts, ConnectionSettings Settings)?> FindAsync(Guid? connectionId, CancellationToken cancellationToken)
    {
        if (connectionId is not { } id || await catalog.FindAsync(id, cancellationToken) is not { } settings)
        {
            return null;
        }

        var adapter = adapters.FirstOrDefault(a => a.Kind == settings.Kind);
        var facts = new ConnectionFacts(settings.Id, settings.TenantId, settings.Kind, adapter is not null,
            directories.Any(d => d.Kind == settings.Kind), settings.SecondaryConnectionId, adapter?.WritesAreIdempotent ?? false,
            statusChecks.Any(c => c.Kind == settings.Kind));
        return (facts, settings);
    }

    /// <summary>The connection's removal, when a tenant removed it (<see cref="FindAsync"/> finds it no more).</summary>
    public async ValueTask<ConnectionRemoval?> RemovedAsync(Guid? connectionId, CancellationToken cancellationToken)
    {
        if (connectionId is not { } id || await catalog.FindAsync(id, cancellationToken) is not null
            || catalog.Removed(id) is not { RemovedAt: { } at } removed)
        {
            return null;
        }

        return new ConnectionRemoval(id, removed.RemovedBy ?? "", at);
    }

    /// <summary>The adapter of a kind the facts said can write (<see cref="ConnectionFacts.CanWrite"/>).</summary>
    public IPaymentWriteback AdapterFor(IntegrationKind kind) => adapters.First(a => a.Kind == kind);

    /// <summary>The check of a status-only kind (<see cref="ConnectionFacts.StatusOnly"/>).</summary>
    public IPaymentStatusCheck StatusCheckFor(IntegrationKind kind) => statusChecks.First(c => c.Kind == kind);

    /// <summary>The directory of a kind the facts said can look up numbers (<see cref="ConnectionFacts.CanFindByNumber"/>).</summary>
    public IInvoiceDirectory DirectoryFor(IntegrationKind kind) => directories.First(d => d.Kind == kind);
}
