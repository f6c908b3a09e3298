using MassTransit;

namespace ReconMesh.EventSourcing.Sagas;

/// <summary>
/// What every endpoint needs whose consumers keep documents with optimistic concurrency (a payment's reconciliation,
/// the invoice directory): a lost race (or a lost insert race) is retried against the fresh state, and the messages the
/// consumer sends leave only once its consume, and so its transaction, succeeded.
/// </summary>
public static class SagaEndpointPolicy
{
    public static void Apply(IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        endpoint.UseMessageRetry(r =>
        {
            r.Handle<JasperFx.ConcurrencyException>();
            r.Handle<JasperFx.DocumentAlreadyExistsException>();
            r.Handle<MassTransit.ConcurrencyException>();
            r.Handle<Npgsql.PostgresException>(e => e.SqlState == "23505");
            r.Exponential(50, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(20));
        });
        endpoint.UseInMemoryOutbox(context);
    }
}
