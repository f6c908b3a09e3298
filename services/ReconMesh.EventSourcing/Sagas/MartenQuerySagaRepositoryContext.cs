using System.Linq.Expressions;
using Marten;
using MassTransit;
using MassTransit.Saga;

namespace ReconMesh.EventSourcing.Sagas;

/// <summary>Queries and loads of saga documents outside a message's unit of work.</summary>
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
