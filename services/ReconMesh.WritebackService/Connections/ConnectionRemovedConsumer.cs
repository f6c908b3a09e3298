using FluentValidation;
using FluentValidation.Results;
using Marten;
using MassTransit;
using ReconMesh.Contracts.Connections;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.WritebackService.Connections;

/// <summary>
/// Learns that a tenant removed a connection it had added: records the removal on WritebackService's own record of the
/// connection (so every replica, and this one after a restart, knows it) and in this replica's catalog. From then on a
/// payment for one of its invoices is not written: it waits in the exceptions queue with the reason code
/// <c>connection-removed</c>. Repeats change nothing. A removal that names another tenant, or a connection from the
/// settings, is refused into the error queue; one that overtook its <see cref="ConnectionAdded"/> is retried.
/// </summary>
public sealed class ConnectionRemovedConsumer(IDocumentSession session, ConnectionCatalog catalog) : IConsumer<ConnectionRemoved>
{
    public async Task Consume(ConsumeContext<ConnectionRemoved> context)
    {
        var message = context.Message;
        var known = await session.LoadAsync<ConnectionRegistration>(message.ConnectionId, context.CancellationToken);
        if (known is null)
        {
            if (catalog.Find(message.ConnectionId) is not null)
            {
                throw Refused($"Connection {message.ConnectionId} is one of WritebackService's configured connections; it is not removed by a message.");
            }

            throw new RemovalOfUnknownConnectionException(message.ConnectionId);
        }

        if (!string.Equals(known.TenantId, message.TenantId, StringComparison.Ordinal))
        {
            throw Refused($"Connection {message.ConnectionId} is not tenant {message.TenantId}'s; nothing was removed.");
        }

        var removed = known.RemovedAt is null ? known with { RemovedAt = message.RemovedAt, RemovedBy = message.RemovedBy } : known;
        if (known.RemovedAt is null)
        {
            session.Store(removed);
            await session.SaveChangesAsync(context.CancellationToken);
        }

        catalog.Register(removed);
    }

    private static ValidationException Refused(string why) => new([new ValidationFailure(nameof(ConnectionRemoved), why)]);
}

/// <summary>
/// The removal of a connection whose <see cref="ConnectionAdded"/> has not been consumed yet: retried by the bus's retry
/// policy (the two share a queue, so the addition is normally first), then faulted into the error queue.
/// </summary>
public sealed class RemovalOfUnknownConnectionException(Guid connectionId)
    : Exception($"Connection {connectionId} is not known here yet: its ConnectionAdded has not been consumed.");

public sealed class ConnectionRemovedConsumerDefinition : ConsumerDefinition<ConnectionRemovedConsumer>
{
    public ConnectionRemovedConsumerDefinition()
    {
        // Beside ConnectionAdded, on the queue that learns of connections.
        EndpointName = "writeback.connections";
    }
}
