using Npgsql;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReconMesh.EventSourcing.Relay;
using ReconMesh.ServiceDefaults.Hosting;
using Weasel.Core;

namespace ReconMesh.EventSourcing.Store;

public static class EventStoreExtensions
{
    /// <summary>
    /// Marten as this service's event store, in a PostgreSQL schema of its own (no service reads another's tables),
    /// with the events it appends relayed to RabbitMQ by <see cref="EventRelay"/> at least once.
    /// </summary>
    /// <param name="builder">The host.</param>
    /// <param name="schema">This service's schema, e.g. <c>payments</c>.</param>
    /// <param name="configure">Event types, documents and indexes of the service.</param>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventStore(
        this WebApplicationBuilder builder, string schema, Action<StoreOptions> configure)
    {
        var connectionString = RequiredSettings.Get(builder.Configuration, SettingNames.Postgres,
            "Set it to an Npgsql connection string, e.g. Host=127.0.0.1;Database=reconmesh;Username=reconmesh;Password=...");
        builder.Services.AddHealthChecks()
            .AddCheck<EventStoreHealthCheck>("postgres", tags: [ServiceDefaultsExtensions.ReadyTag]);
        builder.Services.AddSingleton(services =>
            new AppendSignal.Wakeup(connectionString, schema, services.GetRequiredService<IOptions<RelayPaceOptions>>().Value.Gather,
                services.GetRequiredService<ILogger<AppendSignal.Wakeup>>()));
        builder.Services.ConfigureMarten((services, options) => options.Projections.Wakeup = services.GetRequiredService<AppendSignal.Wakeup>());

        return builder.Services.AddMarten(options =>
            {
                ConfigureStore(options, connectionString, schema);
                configure(options);
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup();
    }

    /// <summary>The store settings every ReconMesh service shares; also used by tests that open a store directly.</summary>
    public static void ConfigureStore(StoreOptions options, string connectionString, string schema)
    {
        options.Connection(PooledForTheMesh(connectionString));
        options.DatabaseSchemaName = schema;
        options.Events.DatabaseSchemaName = schema;
        // Rich mode can skip an event whose transaction outlived StaleSequenceThreshold: it would never be relayed.
        options.Events.AppendMode = EventAppendMode.Quick;
        // The relay is woken by this store's own appends only (AppendSignal), not Marten's database-wide channel.
        options.Events.UseListenNotifyForEventAppends = false;
        options.Listeners.Add(new AppendSignal.Notifier(AppendSignal.ChannelOf(schema)));
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        options.Listeners.Add(new TraceContextListener());
    }

    /// <summary>
    /// Each service's connections to PostgreSQL, as the mesh pools them unless the connection string says otherwise:
    /// <list type="bullet">
    /// <item>At most <see cref="DefaultMaxPoolSize"/> connections a process (Npgsql's default is 100): the three services
    /// and the outbound rate limiters then fit PostgreSQL's default <c>max_connections</c> of 100 together, and a burst
    /// queues for a pooled connection instead of meeting "too many clients" and seconds of back-off. A busy process
    /// uses few at a time: Marten holds one per operation, and the batch consumers one per batch.</item>
    /// <item>No reset when a connection is handed back. Npgsql resets each (DISCARD ALL), and Marten opens one per
    /// operation: the bench's profile counted 12.5 of these round trips per payment, a third of all statements. Nothing
    /// in the services leaves session state behind on a pooled connection (WritebackService's
    /// PaymentLock takes its advisory locks on connections of its own; so does the daemon's leadership lock).</item>
    /// <item>Statements prepared on each connection once they repeat (Npgsql's automatic preparation, off by default):
    /// up to <see cref="DefaultMaxAutoPrepare"/> a connection, each from its second use. Marten sends the same few
    /// statements for every payment; unprepared, PostgreSQL parses and plans each of them every time.</item>
    /// </list>
    /// </summary>
    public static string PooledForTheMesh(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!Names(connectionString, "Reset On Close"))
        {
            builder.NoResetOnClose = true;
        }

        if (!Names(connectionString, "Maximum Pool Size", "Max Pool Size", "MaxPoolSize"))
        {
            builder.MaxPoolSize = DefaultMaxPoolSize;
        }

        if (!Names(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!Names(connectionString, "Auto Prepare Min Usages", "AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>Whether the operator's connection string sets one of these keys (each setting is judged on its own).</summary>
    private static bool Names(string connectionString, params string[] keys) =>
        keys.Any(key => connectionString.Contains(key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The connections a service's event store opens at most, unless its connection string sets <c>Maximum Pool Size</c>.</summary>
    public const int DefaultMaxPoolSize = 24;

    /// <summary>The statements each connection keeps prepared at most, unless the connection string sets <c>Max Auto Prepare</c>.</summary>
    public const int DefaultMaxAutoPrepare = 64;
}
