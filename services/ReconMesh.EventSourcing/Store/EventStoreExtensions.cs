using Npgsql;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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
        options.Connection(WithoutResetOnClose(connectionString));
        options.DatabaseSchemaName = schema;
        options.Events.DatabaseSchemaName = schema;
        // Rich mode can skip an event whose transaction outlived StaleSequenceThreshold: it would never be relayed.
        options.Events.AppendMode = EventAppendMode.Quick;
        options.Events.UseListenNotifyForEventAppends = true;
        options.Events.MetadataConfig.HeadersEnabled = true;
        options.Events.MetadataConfig.CorrelationIdEnabled = true;
        options.Events.MetadataConfig.CausationIdEnabled = true;
        options.UseSystemTextJsonForSerialization(EnumStorage.AsString);
        options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        options.Listeners.Add(new TraceContextListener());
    }

    /// <summary>
    /// Npgsql resets each pooled connection when it is handed back (DISCARD ALL), and Marten opens one per operation: the
    /// bench's profile counted 12.5 of these round trips per payment, a third of all statements. Nothing in the services
    /// leaves session state behind on a pooled connection (PaymentLock releases its advisory lock explicitly; the daemon's
    /// leadership lock keeps a connection of its own), so the reset is skipped unless the connection string says otherwise.
    /// </summary>
    public static string WithoutResetOnClose(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }
}
