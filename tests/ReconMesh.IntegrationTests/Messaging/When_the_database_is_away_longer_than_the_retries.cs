using System.Net.Sockets;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ReconMesh.IntegrationTests.Infrastructure;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.IntegrationTests.Messaging;

/// <summary>
/// Found by the chaos run with PostgreSQL away for 60 s: every consumer's retries in its slot (about 17 s) ran out while
/// the database was still away, and 33 PaymentAccepted went to the saga's error queue, which nothing retries: 32
/// payments never reached the WritebackService. A consumer failing because the database is away is now retried for as
/// long as the outage limit allows. Here the slot retries once, and the consumer finds the database away (a refused
/// connection, as Npgsql reports it) three times before it is back: the message is consumed, not faulted.
/// </summary>
[TestFixture]
public sealed class When_the_database_is_away_longer_than_the_retries
{
    private TestServers _servers = null!;
    private WebApplication _host = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _servers = await TestServers.StartAsync();
        _host = await InProcessHost.StartAsync(b => b.AddMessaging(bus =>
            {
                bus.AddConsumer<AwayConsumer>();
                bus.AddConsumer<FaultWitness>();
            }), app => app, new Dictionary<string, string?>
        {
            ["ReconMesh:RabbitMq"] = _servers.RabbitMqUrl,
            ["ReconMesh:QuorumQueues"] = "false",
            ["ReconMesh:Messaging:Retry:Limit"] = "1",
            ["ReconMesh:Messaging:Retry:MinInterval"] = "00:00:00.010",
            ["ReconMesh:Messaging:Retry:MaxInterval"] = "00:00:00.010",
            ["ReconMesh:Messaging:Retry:IntervalDelta"] = "00:00:00.010",
            ["ReconMesh:Messaging:Retry:OutageLimit"] = "20",
            ["ReconMesh:Messaging:Retry:OutageInterval"] = "00:00:00.050",
        });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _host.DisposeAsync();
        await _servers.DisposeAsync();
    }

    [Test]
    public async Task A_message_waits_in_its_slot_for_the_database_instead_of_faulting()
    {
        var probe = new DatabaseAwayProbe(Guid.NewGuid(), AwayFor: 3);
        await _host.Services.GetRequiredService<IBus>().Publish(probe);

        await Eventually.Until(() => Task.FromResult(AwayConsumer.Consumed.Contains(probe.Id) || FaultWitness.Faulted.Contains(probe.Id)),
            done => done, "the probe to be consumed or faulted", TimeSpan.FromSeconds(30));

        Assert.Multiple(() =>
        {
            Assert.That(FaultWitness.Faulted, Does.Not.Contain(probe.Id), "an outage does not fault a message");
            Assert.That(AwayConsumer.Consumed, Does.Contain(probe.Id));
            Assert.That(AwayConsumer.Attempts[probe.Id], Is.EqualTo(probe.AwayFor + 1), "tried until the database was back");
        });
    }

    public sealed record DatabaseAwayProbe(Guid Id, int AwayFor);

    public sealed class AwayConsumer : IConsumer<DatabaseAwayProbe>
    {
        public static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> Attempts = new();
        public static readonly System.Collections.Concurrent.ConcurrentBag<Guid> Consumed = [];

        public Task Consume(ConsumeContext<DatabaseAwayProbe> context)
        {
            if (Attempts.AddOrUpdate(context.Message.Id, 1, (_, n) => n + 1) <= context.Message.AwayFor)
            {
                throw new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));
            }

            Consumed.Add(context.Message.Id);
            return Task.CompletedTask;
        }
    }

    public sealed class FaultWitness : IConsumer<Fault<DatabaseAwayProbe>>
    {
        public static readonly System.Collections.Concurrent.ConcurrentBag<Guid> Faulted = [];

        public Task Consume(ConsumeContext<Fault<DatabaseAwayProbe>> context)
        {
            Faulted.Add(context.Message.Message.Id);
            return Task.CompletedTask;
        }
    }
}
