using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReconMesh.ServiceDefaults.Messaging.Liveness;

namespace ReconMesh.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ: durable, persistent messages with publisher confirms; a failing message is retried,
    /// then moved to the endpoint's <c>_error</c> queue where it can be inspected and replayed. Exchange names come from
    /// the contracts' <c>[EntityName]</c>, so connector teams bind to stable names; the JSON is <see cref="WireJson"/>'s.
    /// The broker, its nodes and the queue type are <see cref="BrokerSettings"/> (quorum queues unless told otherwise).
    /// </summary>
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder, Action<IBusRegistrationConfigurator> configure)
    {
        var broker = BrokerSettings.Read(builder.Configuration);
        builder.Services.AddSingleton(broker);
        builder.Services.AddOptions<MessageRetryOptions>().BindConfiguration(MessageRetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            // Queues must be bound before anything publishes, or early messages are lost.
            o.WaitUntilStarted = true;
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            // MassTransit 8.5 reports usage to its vendor by default: a service that moves money makes no calls home.
            bus.DisableUsageTelemetry();
            configure(bus);
            if (broker.QuorumQueues)
            {
                // Every endpoint's queue, replicated on the cluster. (SetQuorumQueue on the bus configurator changes only
                // the bus's own queue: every endpoint queue stayed classic, on one node, and was gone while that node was.)
                bus.AddConfigureEndpointsCallback((_, cfg) =>
                {
                    if (cfg is IRabbitMqReceiveEndpointConfigurator rabbitEndpoint)
                    {
                        rabbitEndpoint.SetQuorumQueue();
                    }
                });
            }

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker.Uri, h =>
                {
                    h.PublisherConfirmation = true;
                    if (broker.Nodes.Count > 1)
                    {
                        // Every node of the cluster: when the one a connection is on dies, it reconnects to another.
                        h.UseCluster(cluster =>
                        {
                            foreach (var node in broker.NodeAddresses)
                            {
                                cluster.Node(node);
                            }
                        });
                    }
                });
                rabbit.ConfigureJsonSerializerOptions(WireJson.Apply);

                var retry = context.GetRequiredService<IOptions<MessageRetryOptions>>().Value;
                rabbit.UseMessageRetry(r =>
                {
                    // An invalid message stays invalid: fault it at once (error queue + Fault<T>), don't retry it. So does a
                    // body that cannot be read as its message type (empty, not JSON, a wrong shape).
                    r.Ignore<FluentValidation.ValidationException>();
                    r.Ignore<System.Runtime.Serialization.SerializationException>();
                    r.Exponential(retry.Limit, retry.MinInterval, retry.MaxInterval, retry.IntervalDelta);
                });
                // Inside each retry: the database away for longer than the retries (a failover, a restart) is waited for in
                // the slot instead of parking the message in the error queue, which nothing retries.
                rabbit.UseConsumeFilter(typeof(DatabaseOutageFilter<>), context);
                rabbit.ConfigureEndpoints(context);
            });
        });
        // After the bus's hosted service, so it starts reading once the bus has started.
        builder.Services.AddBusLiveness();
        return builder;
    }
}
