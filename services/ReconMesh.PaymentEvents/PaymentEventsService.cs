using FluentValidation;
using MassTransit;
using ReconMesh.PaymentEvents.Api;
using ReconMesh.PaymentEvents.Payments;
using ReconMesh.PaymentEvents.Payouts;
using ReconMesh.PaymentEvents.Webhooks;
using ReconMesh.EventSourcing.Store;
using ReconMesh.EventSourcing.Relay;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.PaymentEvents;

/// <summary>
/// PaymentEvents: the payment platform's door, on the bus and as a signed webhook. Validates and de-duplicates what
/// the platform reports, records it in the payment's stream, and relays accepted payments to the rest of the mesh. An
/// operator can have a tenant's payments announced again from the streams (<see cref="ReplayPayments"/>).
/// </summary>
public static class PaymentEventsService
{
    public const string Name = "payment-events";

    public static WebApplicationBuilder AddPaymentEvents(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(Name);
        builder.AddApiSecurity();
        builder.AddWebhookListener();
        builder.AddEventStore(PaymentStore.Schema, PaymentStore.Configure).AddEventRelay<PaymentEventMap>();
        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<PaymentProcessedConsumer, PaymentProcessedConsumerDefinition>();
            bus.AddConsumer<PlatformJsonConsumer, PlatformJsonConsumerDefinition>();
            bus.AddConsumer<PayoutPaidConsumer, PayoutPaidConsumerDefinition>();
        });
        builder.Services.AddValidatorsFromAssemblyContaining<PaymentProcessedValidator>(ServiceLifetime.Singleton);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<PaymentIntake>();
        builder.Services.AddSingleton(PaymentWait.From(builder.Configuration));
        return builder;
    }

    public static WebApplication MapPaymentEvents(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapPlatformWebhook();
        app.MapPaymentReplay();
        return app;
    }
}
