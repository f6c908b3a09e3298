using Marten;
using MassTransit;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// When a write or a reversal still fails after every retry (the integration down for long, credentials revoked),
/// the payment must not sit half-way: the failure is recorded in its writeback stream as needing attention, with
/// the last error, so the saga parks it in the exceptions queue where a person can retry it later.
/// </summary>
public sealed class WritebackFaultConsumer(IDocumentSession session, TimeProvider clock) : IConsumer<Fault<WritePaymentBack>>, IConsumer<Fault<ReversePayment>>
{
    public Task Consume(ConsumeContext<Fault<WritePaymentBack>> context)
    {
        var command = context.Message.Message;
        return RecordAsync(command.MeshPaymentId, command.PaymentId, command.TenantId, "write", context.Message, context.CancellationToken);
    }

    public Task Consume(ConsumeContext<Fault<ReversePayment>> context)
    {
        var command = context.Message.Message;
        return RecordAsync(command.MeshPaymentId, command.PaymentId, command.TenantId, "reversal", context.Message, context.CancellationToken);
    }

    private async Task RecordAsync(Guid meshPaymentId, string paymentId, string tenantId, string what, Fault fault, CancellationToken cancellationToken)
    {
        var record = await session.LoadAsync<WritebackRecord>(meshPaymentId, cancellationToken);
        if (record is { AwaitingPerson: true } or { Dismissed: true } || (what == "write" && record is { Written: true } or { Cancelled: true })
            || (what == "reversal" && record is { Reversed: true }))
        {
            return;
        }

        var error = fault.Exceptions.FirstOrDefault();
        session.Events.Append(meshPaymentId, (record?.Version ?? 0) + 1, new WritebackNeedsAttention(meshPaymentId, paymentId, tenantId,
            record?.ConnectionId, "writeback-failed",
            $"The {what} kept failing after every retry: {error?.ExceptionType}: {error?.Message}. Retry once the cause is gone; " +
            "a retry finds and records anything the integration already holds for this payment instead of writing it again.",
            clock.GetUtcNow()));
        await session.SaveChangesAsync(cancellationToken);
    }
}

public sealed class WritebackFaultConsumerDefinition : ConsumerDefinition<WritebackFaultConsumer>
{
    public WritebackFaultConsumerDefinition()
    {
        EndpointName = "writeback.faults";
    }
}
