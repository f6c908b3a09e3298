using MassTransit;
using ReconMesh.InvoiceIngest.Api;
using ReconMesh.InvoiceIngest.Connections;
using ReconMesh.InvoiceIngest.Invoices;
using ReconMesh.InvoiceIngest.Payments;
using ReconMesh.InvoiceIngest.Webhooks;
using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.Integrations;
using ReconMesh.EventSourcing.Store;
using ReconMesh.EventSourcing.Relay;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.InvoiceIngest;

/// <summary>
/// InvoiceIngest: pulls open invoices and billing contacts from each connection's integration, records every change
/// in the invoice's stream, and relays them to the mesh; announces them again when a consumer missed them (an operator's
/// replay, a payment that waits for them).
/// </summary>
public static class InvoiceIngestService
{
    public const string Name = "invoice-ingest";

    public static WebApplicationBuilder AddInvoiceIngest(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(Name);
        builder.AddApiSecurity();
        builder.AddWebhookListener();
        builder.AddEventStore(InvoiceStore.Schema, InvoiceStore.Configure).AddEventRelay<InvoiceEventMap>();
        builder.Services.AddOptions<InvoiceContractOptions>().BindConfiguration(InvoiceContractOptions.Section);
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<PaymentWrittenBackConsumer, PaymentWrittenBackConsumerDefinition>();
            bus.AddConsumer<InvoicesAwaitedConsumer, InvoicesAwaitedConsumerDefinition>();
        });
        builder.AddConnections();
        builder.Services.AddIntegrations();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<QuickBooksInvoiceReader>();
        builder.Services.AddSingleton<IInvoiceSource, QuickBooksInvoiceSource>();
        builder.Services.AddSingleton<IInvoiceSource, ConnectWiseInvoiceReader>();
        builder.Services.AddSingleton<IInvoiceSource, XeroInvoiceSource>();
        builder.Services.AddSingleton<IInvoiceSource, AutotaskInvoiceSource>();
        builder.Services.AddScoped<InvoiceSync>();
        builder.Services.AddSingleton<SyncTrigger>();
        builder.Services.AddSingleton<InvoiceStreamGate>();
        builder.Services.AddSingleton<ConnectionStates>();
        builder.Services.AddSingleton<FluentValidation.IValidator<AddConnectionRequest>, AddConnectionRequestValidator>();
        builder.Services.AddOptions<SyncPaceOptions>().BindConfiguration(SyncPaceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<ConnectionSyncWorker>();
        builder.AddConnectWiseCallbacks();
        return builder;
    }

    public static WebApplication MapInvoiceIngest(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapInvoicesApi();
        app.MapConnectionsApi();
        app.MapQuickBooksWebhook();
        app.MapConnectWiseCallback();
        app.MapXeroWebhook();
        return app;
    }
}
