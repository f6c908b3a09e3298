using Marten;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.Extensions.DependencyInjection;

namespace ReconMesh.EventSourcing.Sagas;

/// <summary>
/// A MassTransit saga repository on Marten (the MassTransit package for it is not available to this project).
/// Saga instances are Marten documents with optimistic concurrency: two messages that change one saga at once
/// cannot both win; the loser gets a concurrency exception and its message is retried against the new state
/// (see <see cref="SagaEndpointPolicy"/>). A new instance is inserted, never stored over an existing one.
/// </summary>
public static class MartenSagaRepository
{
    /// <summary>Register the Marten repository for <typeparamref name="TSaga"/> and map its document.</summary>
    public static void AddMartenSagaRepository<TSaga>(this IServiceCollection services)
        where TSaga : class, ISaga
    {
        services.ConfigureMarten(options => options.Schema.For<TSaga>()
            .Identity(x => x.CorrelationId)
            .UseOptimisticConcurrency(true));
        services.RegisterSagaRepository<TSaga, IDocumentSession, SagaConsumeContextFactory<IDocumentSession, TSaga>,
            MartenSagaRepositoryContextFactory<TSaga>>();
        services.RegisterQuerySagaRepository<TSaga, MartenSagaRepositoryContextFactory<TSaga>>();
        services.RegisterLoadSagaRepository<TSaga, MartenSagaRepositoryContextFactory<TSaga>>();
    }
}
