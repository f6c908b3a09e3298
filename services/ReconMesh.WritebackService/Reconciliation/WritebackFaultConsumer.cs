using Marten;
using MassTransit;
using ReconMesh.Domain.Writeback;
using ReconMesh.WritebackService.Trust;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// When a write or a reversal still fails after every retry (the integration down for long, credentials revoked),
/// the payment must not sit half-way: <see cref="WritebackDecider.RecordFault"/> decides whether it needs attention
/// with the last error, so the saga parks it in the exceptions queue where a person can retry it later.
/// </summary>
public sealed class WritebackFaultConsumer(IDocumentSession session, TimeProvider clock) : IConsumer<Fault<WritePaymentBack>>, IConsumer<Fault<ReversePayment>>
{
    public Task Consume(ConsumeContext<Fault<WritePaymentBack>> context)
    {
        var command = context.Message.Message;
        return RecordAsync(command.MeshPaymentId, command.PaymentId, command.TenantId, reversal: false, supersedes: false, context.Message,
            context.CancellationToken);
    }

    public Task Consume(ConsumeContext<Fault<ReversePayment>> context)
    {
        var command = context.Message.Message;
        return RecordAsync(command.MeshPaymentId, command.PaymentId, command.TenantId, reversal: true, command.SupersedesAttention, context.Message,
            context.CancellationToken);
    }

    private async Task RecordAsync(Guid meshPaymentId, string paymentId, string tenantId, bool reversal, bool supersedes, Fault fault,
        CancellationToken cancellationToken)
    {
        if (UntrustedMessageException.Caused(fault))
        {
            // The command was refused as forged: the payment it named is not its to change, and the refusal is recorded.
            return;
        }

        var record = await session.LoadAsync<WritebackRecord>(meshPaymentId, cancellationToken);
        var error = fault.Exceptions.FirstOrDefault();
        var effects = WritebackDecider.RecordFault(record, reversal, meshPaymentId, paymentId, tenantId, error?.ExceptionType, error?.Message,
            clock.GetUtcNow(), supersedes);
        if (effects.Count > 0)
        {
            session.Events.Append(meshPaymentId, (record?.Version ?? 0) + effects.Count, [.. effects]);
            await session.SaveChangesAsync(cancellationToken);
        }
    }
}

public sealed class WritebackFaultConsumerDefinition : ConsumerDefinition<WritebackFaultConsumer>
{
    public WritebackFaultConsumerDefinition()
    {
        EndpointName = "writeback.faults";
    }
}
