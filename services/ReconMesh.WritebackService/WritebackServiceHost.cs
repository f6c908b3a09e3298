using MassTransit;
using ReconMesh.Integrations;
using ReconMesh.EventSourcing.Store;
using ReconMesh.EventSourcing.Relay;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.ServiceDefaults.Security;
using ReconMesh.WritebackService.AntiEntropy;
using ReconMesh.WritebackService.Api;
using ReconMesh.WritebackService.Connections;
using ReconMesh.WritebackService.Invoices;
using ReconMesh.WritebackService.Payouts;
using ReconMesh.WritebackService.Reconciliation;
using ReconMesh.WritebackService.Trust;
using ReconMesh.WritebackService.Waits;

namespace ReconMesh.WritebackService;

/// <summary>
/// WritebackService: runs the saga that coordinates each payment's two-way sync, and writes payment status to each
/// integration through its adapter, exactly once in effect.
/// </summary>
public static class WritebackServiceHost
{
    public const string Name = "writeback-service";

    public static WebApplicationBuilder AddWritebackService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(Name);
        builder.AddApiSecurity();
        builder.AddEventStore(WritebackStore.Schema, WritebackStore.Configure).AddEventRelay<CountingWritebackEventMap>(WritebackStore.RelayGather);
        builder.Services.AddHostedService<SagaStateGauge>();
        builder.Services.AddOptions<InvoiceWaitOptions>().BindConfiguration(InvoiceWaitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<InvoiceWaitMonitor>();
        builder.Services.AddOptions<DisagreementCheckOptions>().BindConfiguration(DisagreementCheckOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddTransientWaits();
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<PaymentReconciliationConsumer, PaymentReconciliationConsumerDefinition>();
            bus.AddConsumer<PaymentAcceptedBatchConsumer, PaymentAcceptedBatchConsumerDefinition>();
            bus.AddConsumer<PaymentWrittenBackBatchConsumer, PaymentWrittenBackBatchConsumerDefinition>();
            bus.AddConsumer<WritePaymentBackBatchConsumer, WritePaymentBackBatchConsumerDefinition>();
            bus.AddConsumer<WritePaymentBackConsumer, WritePaymentBackConsumerDefinition>();
            bus.AddConsumer<ReversePaymentConsumer, ReversePaymentConsumerDefinition>();
            bus.AddConsumer<WritebackFaultConsumer, WritebackFaultConsumerDefinition>();
            bus.AddConsumer<DepositPayoutConsumer, DepositPayoutConsumerDefinition>();
            bus.AddConsumer<InvoicesSyncedConsumer, InvoicesSyncedConsumerDefinition>();
            bus.AddConsumer<AnsweredInvoicesConsumer, AnsweredInvoicesConsumerDefinition>();
            bus.AddConsumer<ConnectionAddedConsumer, ConnectionAddedConsumerDefinition>();
            bus.AddConsumer<ConnectionRemovedConsumer, ConnectionRemovedConsumerDefinition>();
            bus.AddTrustedClaims(builder.Services);
        });
        builder.Services.AddIntegrations();
        builder.Services.AddScoped<WritebackConnections>();
        builder.Services.AddScoped<PaymentWrites>();
        builder.Services.AddScoped<PaymentWriteBatch>();
        builder.Services.AddSingleton<UnknownConnections>();
        builder.Services.AddSingleton(new PaymentLocks(RequiredSettings.Get(builder.Configuration, SettingNames.Postgres, "an Npgsql connection string")));
        builder.AddConnections();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplication MapWritebackService(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapExceptionsApi();
        app.MapPaymentStatesApi();
        app.MapPayoutsApi();
        app.MapRefusedMessagesApi();
        return app;
    }
}
