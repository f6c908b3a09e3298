using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.EventSourcing.Store;
using ReconMesh.EventSourcing.Sagas;

namespace ReconMesh.IntegrationTests.Sagas;

/// <summary>The Marten saga repository on a real RabbitMQ and PostgreSQL, with 50 messages racing for one saga.</summary>
[TestFixture]
public sealed class When_many_messages_change_one_saga_at_once
{
    private const int Messages = 50;
    private TestServers _servers = null!;
    private IHost _host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMarten(o =>
        {
            EventStoreExtensions.ConfigureStore(o, _servers.Postgres, "saga_race");
        }).UseLightweightSessions().ApplyAllDatabaseChangesOnStartup();
        builder.Services.AddMartenSagaRepository<CounterState>();
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddSagaStateMachine<CounterStateMachine, CounterState>()
                .Endpoint(e =>
                {
                    e.Name = "test.counter-saga";
                    e.ConcurrentMessageLimit = Messages;
                    e.PrefetchCount = Messages;
                });
            bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                if (name == "test.counter-saga")
                {
                    SagaEndpointPolicy.Apply(endpoint, context);
                }
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(_servers.RabbitMqUrl));
                rabbit.ConfigureEndpoints(context);
            });
        });
        _host = builder.Build();
        await _host.StartAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _servers.DisposeAsync();
    }

    [Test]
    public async Task Should_apply_every_one_of_them()
    {
        var counterId = NewId.NextGuid();
        var bus = _host.Services.GetRequiredService<IBus>();

        await Task.WhenAll(Enumerable.Range(1, Messages).Select(n => bus.Publish(new CountThis(counterId, n))));

        var store = _host.Services.GetRequiredService<IDocumentStore>();
        var saga = await Eventually.Until(async () =>
        {
            await using var session = store.QuerySession();
            return await session.LoadAsync<CounterState>(counterId);
        }, s => s is not null && s.Seen.Count >= Messages, $"{Messages} messages applied to the saga");

        Assert.That(saga!.Seen.Order(), Is.EqualTo(Enumerable.Range(1, Messages)),
            "every message must be applied exactly once: none lost to a concurrent update, none applied twice");
    }
}
