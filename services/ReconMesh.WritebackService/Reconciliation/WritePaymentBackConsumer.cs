using Marten;
using MassTransit;
using ReconMesh.Domain.Writeback;
using ReconMesh.WritebackService.Invoices;
using ReconMesh.WritebackService.Waits;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// Writes one payment to its integration: load what the payment's writeback stream says and the facts the rules need,
/// let <see cref="WritebackDecider"/> decide, write as it planned, and append the effects at the version decided on
/// (a stream that moved meanwhile fails the append, and the command is retried on what it now says; a booking is
/// recorded after what moved it). The relay then tells the saga. Where an integration has no idempotency key
/// (ConnectWise), copies of one command write one after the other (<see cref="PaymentLock"/>), so the second finds what
/// the first recorded; QuickBooks answers a repeated requestid with its first Payment, so its writes take no lock. The
/// adapters' idempotency keys cover a crash between the integration's answer and the append.
/// A transient failure waits aside (<see cref="TransientWaits"/>) instead of becoming a person's work.
/// This is the path for a payment alone: what the batch (<see cref="WritePaymentBackBatchConsumer"/>) does not finish
/// comes here, and so does every command coming back from a wait. A payment that waits for invoices not heard of asks
/// InvoiceIngest to announce them again (<see cref="PaymentWrites.AskForAwaitedAsync"/>).
/// </summary>
public sealed class WritePaymentBackConsumer(IDocumentSession session, PaymentLocks locks, PaymentWrites writes, TransientWaits waits)
    : IConsumer<WritePaymentBack>
{
    public Task Consume(ConsumeContext<WritePaymentBack> context) =>
        waits.RunAsync(context, new WaitingCommand(context.Message.MeshPaymentId, context.Message.PaymentId, context.Message.TenantId,
            WritebackDecider.WriteStage),
            () => WriteAsync(context));

    private async Task WriteAsync(ConsumeContext<WritePaymentBack> context)
    {
        var command = context.Message;
        var token = context.CancellationToken;
        var known = await session.LoadManyAsync<KnownInvoice>(token, command.Allocations.Select(a => a.InvoiceId).Distinct());
        var write = await writes.FactsAsync(command, known.ToDictionary(i => i.Id), token);
        var record = await session.LoadAsync<WritebackRecord>(command.MeshPaymentId, token);
        var step = await writes.DecideAsync(write, record, token);

        PaymentLock? exclusive = null;
        CancellationTokenSource? held = null;
        try
        {
            var acting = token;
            if (step is WriteStep.Write { NeedsExclusivity: true } or WriteStep.LookBeforeCancel { Plan.NeedsExclusivity: true })
            {
                // An integration without an idempotency key: one copy writes at a time, and the second decides again on
                // what the first recorded. If the lock's connection breaks, the write in flight is given up (the command
                // comes back, and the adapter looks for what was booked before writing again).
                exclusive = await PaymentLock.AcquireAsync(locks, command.MeshPaymentId, token);
                held = CancellationTokenSource.CreateLinkedTokenSource(token, exclusive.Lost);
                acting = held.Token;
                record = await session.LoadAsync<WritebackRecord>(command.MeshPaymentId, acting);
                step = await writes.DecideAsync(write, record, acting);
            }

            switch (step)
            {
                case WriteStep.Record r:
                    await PaymentWrites.AppendAsync(session, command.MeshPaymentId, record?.Version ?? 0, r.Events, token);
                    await PaymentWrites.AskForAwaitedAsync(context, r.Events, token);
                    break;
                case WriteStep.Write plan:
                    var effects = await writes.WriteAsync(write, plan, acting);
                    await writes.AppendBookingAsync(session, write.Payment, record, effects, token);
                    break;
                case WriteStep.LookBeforeCancel look:
                    // What the look found is a booking like a write's: recorded after whatever moved the stream meanwhile.
                    var found = await writes.LookAsync(write, record, look, acting);
                    await writes.AppendBookingAsync(session, write.Payment, record, found, token);
                    break;
                case WriteStep.AlreadyDone:
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected step {step}");
            }
        }
        finally
        {
            held?.Dispose();
            if (exclusive is not null)
            {
                await exclusive.DisposeAsync();
            }
        }
    }
}

public sealed class WritePaymentBackConsumerDefinition : ConsumerDefinition<WritePaymentBackConsumer>
{
    /// <summary>Reached only by what is sent to it (the batch's leftovers, the waits' returns): it is not bound to the command's exchange.</summary>
    public const string QueueName = "writeback.write-payment-alone";

    /// <summary>
    /// Where a write is handed over to go on alone: the endpoint's exchange, not <c>queue:</c>. A <c>queue:</c> address
    /// declares the queue with no arguments, which a quorum queue of that name refuses (PRECONDITION_FAILED); the
    /// service's own endpoint has bound the queue to this exchange before any batch is consumed.
    /// </summary>
    public static readonly Uri Address = new($"exchange:{QueueName}");

    public WritePaymentBackConsumerDefinition()
    {
        EndpointName = QueueName;
        // Bounded so a backlog drains at the integration's pace instead of flooding it.
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<WritePaymentBackConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.ConfigureConsumeTopology = false;
}
