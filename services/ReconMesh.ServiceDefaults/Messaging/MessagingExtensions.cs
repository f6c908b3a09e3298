using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ: durable, persistent messages with publisher confirms; a failing message is retried,
    /// then moved to the endpoint's <c>_error</c> queue where it can be inspected and replayed. Exchange names come from
    /// the contracts' <c>[EntityName]</c>, so connector teams bind to stable names; the JSON is <see cref="WireJson"/>'s.
    /// </summary>
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder, Action<IBusRegistrationConfigurator> configure)
    {
        var url = RequiredSettings.Get(builder.Configuration, SettingNames.RabbitMq,
            "Set it to the broker's AMQP URI, e.g. amqp://user:password@127.0.0.1:5672/");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var brokerUri) || brokerUri.Scheme is not ("amqp" or "amqps" or "rabbitmq"))
        {
            Console.Error.WriteLine($"Configuration error: '{SettingNames.RabbitMq}' is not an amqp:// or amqps:// URI.");
            Environment.Exit(RequiredSettings.MissingConfigurationExitCode);
        }

        builder.Services.AddOptions<MessageRetryOptions>().BindConfiguration(MessageRetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var quorum = string.Equals(builder.Configuration[SettingNames.QuorumQueues], "true", StringComparison.OrdinalIgnoreCase);

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
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(brokerUri, h => h.PublisherConfirmation = true);
                rabbit.ConfigureJsonSerializerOptions(WireJson.Apply);
                if (quorum)
                {
                    rabbit.SetQuorumQueue();
                }

                var retry = context.GetRequiredService<IOptions<MessageRetryOptions>>().Value;
                rabbit.UseMessageRetry(r =>
                {
                    // An invalid message stays invalid: fault it at once (error queue + Fault<T>), don't retry it. So does a
                    // body that cannot be read as its message type (empty, not JSON, a wrong shape).
                    r.Ignore<FluentValidation.ValidationException>();
                    r.Ignore<System.Runtime.Serialization.SerializationException>();
                    r.Exponential(retry.Limit, retry.MinInterval, retry.MaxInterval, retry.IntervalDelta);
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
