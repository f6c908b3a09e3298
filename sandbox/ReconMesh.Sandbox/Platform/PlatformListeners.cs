using MassTransit;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;

namespace ReconMesh.Sandbox.Platform;

/// <summary>The platform learns of invoices the way a real one would: from the mesh's InvoicesSynced events.</summary>
public sealed class InvoiceSyncedListener(PlatformCatalog catalog) : IConsumer<InvoicesSynced>, IConsumer<InvoiceArchived>
{
    /// <summary>An invoice deleted in the integration is offered for payment no more.</summary>
    public Task Consume(ConsumeContext<InvoiceArchived> context)
    {
        catalog.Forget(context.Message.InvoiceId);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<InvoicesSynced> context)
    {
        foreach (var invoice in context.Message.Invoices)
        {
            catalog.Remember(invoice);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The platform hears how each payment ended, so a run can report it.</summary>
public sealed class PaymentOutcomeListener(PlatformCatalog catalog)
    : IConsumer<PaymentStatusWrittenBack>, IConsumer<WritebackFailed>, IConsumer<PaymentStatusReverted>, IConsumer<PayoutDeposited>, IConsumer<PayoutNeedsAttention>
{
    public Task Consume(ConsumeContext<PaymentStatusReverted> context)
    {
        var m = context.Message;
        if (catalog.Knows(m.TenantId, m.PaymentId))
        {
            catalog.Outcome(m.TenantId, m.PaymentId, "reverted", null);
        }

        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<PayoutDeposited> context)
    {
        var m = context.Message;
        if (catalog.KnowsPayout(m.TenantId, m.PayoutId))
        {
            catalog.PayoutOutcome(m.TenantId, m.PayoutId, m.ExternalDepositId is null ? "not-deposited-by-choice" : "deposited", m.ExternalDepositId, null);
        }

        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<PayoutNeedsAttention> context)
    {
        var m = context.Message;
        if (catalog.KnowsPayout(m.TenantId, m.PayoutId))
        {
            catalog.PayoutOutcome(m.TenantId, m.PayoutId, "needs-attention", null, $"{m.ReasonCode}: {m.Reason}");
        }

        return Task.CompletedTask;
    }

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
            // A payment that failed before it was written back was cancelled, not stuck.
            catalog.Outcome(m.TenantId, m.PaymentId, m.ReasonCode == "payment-failed-before-writeback" ? "cancelled" : "needs-attention",
                $"{m.ReasonCode}: {m.Reason}");
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
