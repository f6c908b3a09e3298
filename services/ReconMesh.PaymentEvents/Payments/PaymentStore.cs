using Marten;
using ReconMesh.Domain.Payments;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>PaymentEvents' part of the event store.</summary>
public static class PaymentStore
{
    public const string Schema = "payments";

    public static void Configure(StoreOptions options)
    {
        options.Events.MapEventType<PaymentAccepted>("payment_received");
        options.Events.MapEventType<ConflictingPaymentReportReceived>("conflicting_payment_report_received");
        options.Events.MapEventType<PaymentFailureAccepted>("payment_failure_recorded");
        options.Events.MapEventType<Payouts.PayoutReceived>("payout_received");
        options.Schema.For<RejectedMessage>().Index(x => x.TenantId);
    }
}
