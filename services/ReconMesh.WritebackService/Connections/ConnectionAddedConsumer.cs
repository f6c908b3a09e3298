using FluentValidation;
using FluentValidation.Results;
using Marten;
using MassTransit;
using ReconMesh.Contracts.Connections;
using ReconMesh.Integrations.Connections;

namespace ReconMesh.WritebackService.Connections;

/// <summary>
/// Learns of a connection added through InvoiceIngest's API: records it in WritebackService's own store (so every
/// replica, and this one after a restart, knows it) and in this replica's catalog. The secret it names is resolved
/// from WritebackService's own configuration whenever the connection is used. Repeats change nothing; a message that
/// would redefine a known connection (to point it at another tenant or account) is refused into the error queue.
/// </summary>
public sealed class ConnectionAddedConsumer(IDocumentSession session, ConnectionCatalog catalog) : IConsumer<ConnectionAdded>
{
    public async Task Consume(ConsumeContext<ConnectionAdded> context)
    {
        var message = context.Message;
        if (!Uri.TryCreate(message.BaseUrl, UriKind.Absolute, out _) || string.IsNullOrWhiteSpace(message.TenantId)
            || string.IsNullOrWhiteSpace(message.CredentialsSecret))
        {
            throw new ValidationException([new ValidationFailure(nameof(ConnectionAdded), "A connection needs a tenant, an absolute base URL and a secret name.")]);
        }

        var registration = ConnectionRegistration.FromMessage(message);
        var known = await session.LoadAsync<ConnectionRegistration>(registration.Id, context.CancellationToken);
        if (known is not null)
        {
            if (known.AsAdded(registration.AddedAt) != registration)
            {
                throw new ValidationException([new ValidationFailure(nameof(ConnectionAdded),
                    $"Connection {registration.Id} is already known with other settings; a connection is not redefined by a message.")]);
            }
        }
        else if (catalog.Find(registration.Id) is not null)
        {
            throw new ValidationException([new ValidationFailure(nameof(ConnectionAdded),
                $"Connection {registration.Id} is one of WritebackService's configured connections; it is not redefined by a message.")]);
        }
        else
        {
            session.Insert(registration);
            await session.SaveChangesAsync(context.CancellationToken);
        }

        catalog.Register(known ?? registration); // a repeat that comes after the removal leaves it removed
    }
}

public sealed class ConnectionAddedConsumerDefinition : ConsumerDefinition<ConnectionAddedConsumer>
{
    public ConnectionAddedConsumerDefinition()
    {
        EndpointName = "writeback.connections";
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ConnectionAddedConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r =>
        {
            // Two deliveries racing to insert: the loser finds the winner's record next time.
            r.Handle<JasperFx.DocumentAlreadyExistsException>();
            r.Immediate(3);
        });
}
