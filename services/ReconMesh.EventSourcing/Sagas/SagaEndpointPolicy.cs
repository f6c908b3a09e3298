using MassTransit;

namespace ReconMesh.EventSourcing.Sagas;

/// <summary>
/// What every saga endpoint needs with the Marten repository: a lost optimistic-concurrency race (or a lost insert
/// race) is retried against the fresh state, and messages the saga publishes leave only once its state is saved.
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
