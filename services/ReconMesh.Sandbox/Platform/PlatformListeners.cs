using MassTransit;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;

namespace ReconMesh.Sandbox.Platform;

/// <summary>The platform learns of invoices the way a real one would: from the mesh's InvoiceSynced events.</summary>
public sealed class InvoiceSyncedListener(PlatformCatalog catalog) : IConsumer<InvoiceSynced>
{
    public Task Consume(ConsumeContext<InvoiceSynced> context)
    {
        catalog.Remember(context.Message);
        return Task.CompletedTask;
    }
}

/// <summary>The platform hears how each payment ended, so a run can report it.</summary>
public sealed class PaymentOutcomeListener(PlatformCatalog catalog) : IConsumer<PaymentStatusWrittenBack>, IConsumer<WritebackFailed>
{
    public Task Consume(ConsumeContext<PaymentStatusWrittenBack> context)
    {
        var m = context.Message;
        if (catalog.Knows(m.TenantId, m.PaymentId))
        {
            catalog.Outcome(m.TenantId, m.PaymentId, "written-back", null);
        }

        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<WritebackFailed> context)
    {
        var m = context.Message;
        if (catalog.Knows(m.TenantId, m.PaymentId))
        {
            catalog.Outcome(m.TenantId, m.PaymentId, "needs-attention", $"{m.ReasonCode}: {m.Reason}");
        }

        return Task.CompletedTask;
    }
}

public sealed class InvoiceSyncedListenerDefinition : ConsumerDefinition<InvoiceSyncedListener>
{
    public InvoiceSyncedListenerDefinition() => EndpointName = "sandbox.platform.invoice-synced";
}

public sealed class PaymentOutcomeListenerDefinition : ConsumerDefinition<PaymentOutcomeListener>
{
    public PaymentOutcomeListenerDefinition() => EndpointName = "sandbox.platform.payment-outcomes";
}
