using System.Linq.Expressions;
using Marten;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Context;
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

public sealed class MartenSagaRepositoryContextFactory<TSaga>(
    IDocumentStore store, ISagaConsumeContextFactory<IDocumentSession, TSaga> factory) :
    ISagaRepositoryContextFactory<TSaga>,
    IQuerySagaRepositoryContextFactory<TSaga>,
    ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        await using var session = store.LightweightSession();
        var repositoryContext = new MartenSagaRepositoryContext<TSaga, T>(session, context, factory);
        await next.Send(repositoryContext);
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        await using var session = store.LightweightSession();
        var instances = await session.Query<TSaga>().Where(query.FilterExpression).ToListAsync(context.CancellationToken);
        var repositoryContext = new MartenSagaRepositoryContext<TSaga, T>(session, context, factory);
        await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances));
    }

    public async Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken)
        where T : class
    {
        await using var session = store.QuerySession();
        return await asyncMethod(new MartenQuerySagaRepositoryContext<TSaga>(session, cancellationToken));
    }

    public async Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken)
        where T : class
    {
        await using var session = store.QuerySession();
        return await asyncMethod(new MartenQuerySagaRepositoryContext<TSaga>(session, cancellationToken));
    }

    public void Probe(ProbeContext context) => context.Add("persistence", "marten");
}

internal sealed class MartenSagaRepositoryContext<TSaga, TMessage> :
    ConsumeContextScope<TMessage>,
    SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    private readonly IDocumentSession session;
    private readonly ConsumeContext<TMessage> consumeContext;
    private readonly ISagaConsumeContextFactory<IDocumentSession, TSaga> factory;

    public MartenSagaRepositoryContext(
        IDocumentSession session, ConsumeContext<TMessage> consumeContext, ISagaConsumeContextFactory<IDocumentSession, TSaga> factory)
        : base(consumeContext)
    {
        this.session = session;
        this.consumeContext = consumeContext;
        this.factory = factory;
    }

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> context, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(session, context, instance, mode);

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(session, consumeContext, instance, SagaConsumeContextMode.Add);

    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        // Insert, not Store: a second "initial" message for the same id must fail here and be retried as an
        // update of the instance that won, rather than overwrite it.
        session.Insert(instance);
        try
        {
            await session.SaveChangesAsync(CancellationToken);
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            // As MassTransit's own repositories do: an instance exists already, so the caller loads it instead.
            session.EjectAllPendingChanges();
            session.Eject(instance);
            return default!;
        }

        return await factory.CreateSagaConsumeContext(session, consumeContext, instance, SagaConsumeContextMode.Insert);
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await session.LoadAsync<TSaga>(correlationId, CancellationToken);
        return instance is null
            ? default!
            : await factory.CreateSagaConsumeContext(session, consumeContext, instance, SagaConsumeContextMode.Load);
    }

    public Task Save(SagaConsumeContext<TSaga> context)
    {
        session.Insert(context.Saga);
        return session.SaveChangesAsync(CancellationToken);
    }

    public Task Update(SagaConsumeContext<TSaga> context)
    {
        // The version read by Load travels with the session: a concurrent update makes this throw.
        session.Update(context.Saga);
        return session.SaveChangesAsync(CancellationToken);
    }

    public Task Delete(SagaConsumeContext<TSaga> context)
    {
        session.Delete(context.Saga);
        return session.SaveChangesAsync(CancellationToken);
    }

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context)
    {
        session.Eject(context.Saga);
        return Task.CompletedTask;
    }
}

internal sealed class MartenQuerySagaRepositoryContext<TSaga>(IQuerySession session, CancellationToken cancellationToken) :
    MassTransit.Middleware.BasePipeContext(cancellationToken),
    QuerySagaRepositoryContext<TSaga>,
    LoadSagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    public Task<TSaga> Load(Guid correlationId) => session.LoadAsync<TSaga>(correlationId, CancellationToken)!;

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken = default)
    {
        Expression<Func<TSaga, bool>> filter = query.FilterExpression;
        var instances = await session.Query<TSaga>().Where(filter).ToListAsync(cancellationToken);
        return new LoadedSagaRepositoryQueryContext<TSaga>(this, instances);
    }
}
