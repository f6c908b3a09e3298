using Marten;
using MassTransit;
using ReconMesh.Contracts.Payments;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.WritebackService.Trust;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>
/// Accepted payments, many at a time, straight into the books. Each payment's reconciliation decides on its
/// acceptance (<see cref="PaymentReconciliationDecider"/>); the writes it asks for are made here
/// (<see cref="PaymentWriteBatch"/>), and what they booked is decided on at once, so one transaction holds, for the whole
/// batch, the reconciliations and the writeback streams' new events, each at the version it was decided on. The relay
/// still tells everyone else what the streams say (the reconciliation, hearing it again, finds it already taken).
/// What cannot be finished here goes on as before: a write that must take turns, looks in a paired connection or
/// failed is sent alone to <see cref="WritePaymentBackConsumer"/> once the reconciliation is stored; any other command
/// is published. A transaction that loses a race (another event for one of the payments) fails the batch, which is
/// taken again on the fresh state: writes that were made are found again by their idempotency key (only writes whose
/// integration has one are made here).
/// </summary>
public sealed class PaymentAcceptedBatchConsumer(IDocumentSession session, PaymentWriteBatch batch, IClaimCheck<PaymentAccepted> claims,
    RefusedMessages refused, TimeProvider clock) : IConsumer<Batch<PaymentAccepted>>
{
    public const int BatchSize = 64;
    private static readonly Uri Alone = new($"queue:{WritePaymentBackConsumerDefinition.QueueName}");

    public async Task Consume(ConsumeContext<Batch<PaymentAccepted>> context)
    {
        using var activity = context.Message.StartBatchActivity("reconcile accepted payments");
        var token = context.CancellationToken;
        // A second copy of an acceptance in the same batch would only ask again for the write the first one asks for.
        var accepted = await TrustedAsync(context.Message.GroupBy(d => d.Message.MeshPaymentId).Select(g => g.First()), token);
        var reconciliations = new Reconciliations(
            (await session.LoadManyAsync<PaymentReconciliation>(token, accepted.Select(a => a.MeshPaymentId))).ToDictionary(s => s.CorrelationId),
            clock.GetUtcNow());
        var commands = accepted.SelectMany(reconciliations.Decide).ToList();

        var plan = await batch.PlanAsync([.. commands.OfType<WritePaymentBack>()], token);
        await batch.WriteAsync(plan.Planned, token);
        var alone = plan.Alone.Concat(plan.Planned.Where(p => p.Effects is null).Select(p => p.Command)).ToList();
        var booked = plan.Planned.Where(p => p.Effects is { Count: > 0 }).ToList();
        var followUps = booked.SelectMany(p => p.Effects!.Select(WritebackEventMap.ToMessage).OfType<object>()).SelectMany(reconciliations.Decide).ToList();

        batch.Append(booked);
        reconciliations.Save(session);
        await session.SaveChangesAsync(token);

        // Sent once the consume succeeds (the endpoint's in-memory outbox): after the transaction above.
        await PaymentWrites.AskForAwaitedAsync(context, booked.SelectMany(p => p.Effects!), token);
        await PaymentReconciliationStore.SendAsync(context, [.. commands.Where(c => c is not WritePaymentBack), .. followUps], token);
        var queue = await context.GetSendEndpoint(Alone);
        foreach (var command in alone)
        {
            await queue.Send(command, token);
        }
    }

    private async Task<List<PaymentAccepted>> TrustedAsync(IEnumerable<ConsumeContext<PaymentAccepted>> deliveries, CancellationToken token)
    {
        var trusted = new List<PaymentAccepted>();
        foreach (var delivery in deliveries)
        {
            if (await claims.CheckAsync(delivery.Message, token) is { } refusal)
            {
                await refused.RecordAsync(delivery, refusal);
                await delivery.RefuseAsync(new UntrustedMessageException(refusal.Reason), typeof(PaymentAcceptedBatchConsumer));
                continue;
            }

            trusted.Add(delivery.Message);
        }

        return trusted;
    }

    /// <summary>The batch's reconciliations as read, and as each decision leaves them.</summary>
    private sealed class Reconciliations(Dictionary<Guid, PaymentReconciliation> read, DateTimeOffset now)
    {
        private readonly Dictionary<Guid, PaymentReconciliation> decided = [];

        /// <summary>Decides one event on the payment's latest state; returns the commands.</summary>
        public IReadOnlyList<object> Decide(object message) => Decide(message, MeshPaymentIdOf(message));

        public void Save(IDocumentSession session)
        {
            foreach (var (id, next) in decided)
            {
                PaymentReconciliationStore.Save(session, read.GetValueOrDefault(id), next);
            }
        }

        private IReadOnlyList<object> Decide(object message, Guid id)
        {
            var current = decided.GetValueOrDefault(id) ?? read.GetValueOrDefault(id);
            var decision = PaymentReconciliationDecider.Decide(current, message, now);
            if (decision.Next is { } next)
            {
                decided[id] = next;
            }

            return decision.Commands;
        }

        private static Guid MeshPaymentIdOf(object message) => message switch
        {
            PaymentAccepted m => m.MeshPaymentId,
            PaymentStatusWrittenBack m => m.MeshPaymentId,
            WritebackFailed m => m.MeshPaymentId,
            PaymentStatusReverted m => m.MeshPaymentId,
            WritebackAwaitingInvoices m => m.MeshPaymentId,
            _ => throw new ArgumentException($"{message.GetType().Name} is not an event of a payment's writeback stream.", nameof(message)),
        };
    }
}

public sealed class PaymentAcceptedBatchConsumerDefinition : ConsumerDefinition<PaymentAcceptedBatchConsumer>
{
    public PaymentAcceptedBatchConsumerDefinition()
    {
        // The reconciliation's own queue: the acceptance is one of the events it hears (see PaymentReconciliationConsumer,
        // whose definition sets the endpoint's retry and outbox for both).
        EndpointName = PaymentReconciliationConsumerDefinition.QueueName;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<PaymentAcceptedBatchConsumer> consumerConfigurator, IRegistrationContext context) =>
        consumerConfigurator.Options<BatchOptions>(o => o
            .SetMessageLimit(PaymentAcceptedBatchConsumer.BatchSize)
            .SetTimeLimit(TimeSpan.FromMilliseconds(5))
            .SetConcurrencyLimit(4));
}
