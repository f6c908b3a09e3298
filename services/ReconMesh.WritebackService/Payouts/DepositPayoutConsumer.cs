using Microsoft.Extensions.Options;
using Marten;
using MassTransit;
using ReconMesh.Contracts.Payouts;
using ReconMesh.Domain.Writeback;
using ReconMesh.Integrations.Connections;
using ReconMesh.Integrations.Writeback;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.WritebackService.Reconciliation;
using ReconMesh.WritebackService.Waits;

namespace ReconMesh.WritebackService.Payouts;

/// <summary>
/// Records a payout as one deposit once every payment it settles is in the books. A payout can arrive before the
/// last of its payments is written back (or a reversal it takes back is booked), so it waits for them: briefly in its
/// slot, then aside (<see cref="TransientWaits"/>, the writes' tiers) until the transient horizon; so does a deposit
/// the books do not take yet (throttled, unavailable). Only then does one that settles a payment never written need a
/// person; one that settles a reversed payment is not deposited at all (never half-deposited) and needs a person.
/// </summary>
public sealed class DepositPayoutConsumer(
    IDocumentSession session, ConnectionCatalog connections, IEnumerable<IDepositWriteback> adapters, PaymentLocks locks, TransientWaits waits,
    IOptions<TransientWaitOptions> waitOptions, TimeProvider clock)
    : IConsumer<PayoutAccepted>
{
    public Task Consume(ConsumeContext<PayoutAccepted> context) =>
        waits.RunAsync(context, new WaitingCommand(context.Message.MeshPayoutId, context.Message.PayoutId, context.Message.TenantId,
            WritebackDecider.DepositStage), () => DepositAsync(context));

    private async Task DepositAsync(ConsumeContext<PayoutAccepted> context)
    {
        var payout = context.Message;
        // One copy of a payout at a time: Xero has no idempotency key, so two copies looking before writing would both
        // find nothing and record the payout twice.
        await using var held = await PaymentLock.AcquireAsync(locks, payout.MeshPayoutId, context.CancellationToken);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, held.Lost);
        if (await session.Events.FetchStreamStateAsync(payout.MeshPayoutId, both.Token) is not null)
        {
            return;
        }

        // Its payments are waited for until the horizon has passed since the first time they were found missing.
        var now = clock.GetUtcNow();
        var lastChance = now - WaitAside.SoFar(context, now).Since >= waitOptions.Value.TransientHorizon;
        var effect = await DecideAsync(payout, lastChance, both.Token);
        session.Events.StartStream(payout.MeshPayoutId, effect);
        if (effect is PayoutDepositRecorded or PayoutDepositSkipped)
        {
            // In the same transaction as the outcome: a payment is settled by one payout only.
            session.Store([.. payout.Payments.Select(p => new PaymentSettlement
            {
                Id = MeshIds.Payment(payout.TenantId, p.PaymentId), MeshPayoutId = payout.MeshPayoutId, PayoutId = payout.PayoutId,
            })]);
        }

        await session.SaveChangesAsync(both.Token);
    }

    private async Task<object> DecideAsync(PayoutAccepted payout, bool lastChance, CancellationToken cancellationToken)
    {
        var ids = payout.Payments.ToDictionary(p => MeshIds.Payment(payout.TenantId, p.PaymentId));
        var records = (await session.LoadManyAsync<WritebackRecord>(cancellationToken, ids.Keys)).ToDictionary(r => r.Id);

        var notWritten = ids.Where(p => !records.TryGetValue(p.Key, out var r) || !r.Written).Select(p => p.Value.PaymentId).ToList();
        if (notWritten.Count > 0)
        {
            if (!lastChance)
            {
                throw new PayoutPaymentsNotWrittenYetException(notWritten);
            }

            return Attention(payout, "payment-not-written",
                $"The payout settles payment(s) {string.Join(", ", notWritten.Take(10))} that are not in the books; nothing was deposited.");
        }

        var settledBefore = (await session.LoadManyAsync<PaymentSettlement>(cancellationToken, ids.Keys))
            .Where(s => s.MeshPayoutId != payout.MeshPayoutId).ToList();
        if (settledBefore.Count > 0)
        {
            return Attention(payout, "payment-already-settled",
                $"The payout settles payment(s) {string.Join(", ", settledBefore.Take(10).Select(s => ids[s.Id].PaymentId))} already deposited with payout(s) " +
                $"{string.Join(", ", settledBefore.Select(s => s.PayoutId).Distinct().Take(10))}; nothing was deposited.");
        }

        var reversed = records.Values.Where(r => r.Reversed).Select(r => r.Id).ToList();
        if (reversed.Count > 0)
        {
            return Attention(payout, "payment-reversed",
                $"The payout settles {reversed.Count} payment(s) that were reversed after failing; nothing was deposited.");
        }

        var takenBack = (payout.Reversals ?? []).ToDictionary(r => MeshIds.Payment(payout.TenantId, r.PaymentId));
        var reversalRecords = (await session.LoadManyAsync<WritebackRecord>(cancellationToken, takenBack.Keys)).ToDictionary(r => r.Id);
        var notReversedYet = takenBack.Where(r => !reversalRecords.TryGetValue(r.Key, out var x) || !x.Reversed).Select(r => r.Value.PaymentId).ToList();
        if (notReversedYet.Count > 0)
        {
            if (!lastChance)
            {
                throw new PayoutPaymentsNotWrittenYetException(notReversedYet);
            }

            return Attention(payout, "reversal-not-booked",
                $"The payout takes back payment(s) {string.Join(", ", notReversedYet.Take(10))} whose reversal is not in the books; nothing was deposited.");
        }

        var notReinstated = await NeverDepositedAsync(reversalRecords.Values, cancellationToken);
        if (notReinstated.Count > 0)
        {
            return Attention(payout, "reversal-of-undeposited-payment",
                $"The payout takes back {notReinstated.Count} payment(s) that were never deposited (their payments were voided or deleted in the books instead); " +
                "nothing was deposited. Book the difference by hand.");
        }

        if (records.Values.Concat(reversalRecords.Values).Any(r => r.TenantId != payout.TenantId))
        {
            return Attention(payout, "payment-of-another-tenant", "The payout settles a payment of another tenant; nothing was deposited.");
        }

        // A PSA paired with an accounting system has no deposits of its own: they go to the accounting connection.
        var connectionIds = records.Values.Concat(reversalRecords.Values).Select(r => r.SecondaryConnectionId ?? r.ConnectionId).Distinct().ToList();
        if (connectionIds is not [{ } connectionId] || await connections.FindAsync(connectionId, cancellationToken) is not { } connection)
        {
            return Attention(payout, "payout-spans-connections",
                "The payout's payments were written to more than one connection (or an unknown one); nothing was deposited.");
        }

        var fees = payout.Payments.Sum(p => p.Fee);
        if (!connection.RecordDeposits)
        {
            return Skipped(payout, connection.Id, fees);
        }

        var adapter = adapters.FirstOrDefault(a => a.Kind == connection.Kind);
        if (adapter is null)
        {
            return Skipped(payout, connection.Id, fees);
        }

        var request = new DepositRequest(payout.MeshPayoutId, payout.PayoutId, payout.Currency, DateOnly.FromDateTime(payout.PaidAt.UtcDateTime),
            payout.Amount, [.. ids.Select(p => new DepositedPayment(p.Key, records[p.Key].SecondaryConnectionId is null ? records[p.Key].ExternalPaymentIds
                : records[p.Key].SecondaryExternalPaymentIds, p.Value.Amount + p.Value.Surcharge))], fees,
            [.. takenBack.Values.Select(r => new DepositedReversal(r.PaymentId, r.Amount, r.Kind))],
            payout.Payments.Where(p => p.Surcharge > 0m).Sum(p => p.Fee));
        return await adapter.RecordAsync(connection, request, cancellationToken) switch
        {
            DepositOutcome.Deposited d => new PayoutDepositRecorded(payout.MeshPayoutId, payout.PayoutId, payout.TenantId, connection.Id,
                d.ExternalDepositId, d.Total, fees, clock.GetUtcNow(), payout.Currency, payout.Amount, payout.PaidAt, connection.DepositAccountId,
                payout.Payments.Count),
            DepositOutcome.NeedsAttention n => Attention(payout, n.ReasonCode, n.Reason),
            var other => throw new InvalidOperationException($"Unexpected deposit outcome {other}"),
        };
    }

    /// <summary>
    /// The reversed payments a payout takes back that were never deposited: not reinstated where the books reinstate a
    /// deposited payment (QuickBooks), not settled by an earlier payout where the reversal takes the payment itself back (Xero).
    /// </summary>
    private async Task<List<Guid>> NeverDepositedAsync(IEnumerable<WritebackRecord> reversals, CancellationToken cancellationToken)
    {
        var candidates = reversals.Where(r => r.ReinstatementInvoiceIds.Count == 0).ToList();
        var settled = (await session.LoadManyAsync<PaymentSettlement>(cancellationToken, candidates.Select(r => r.Id))).Select(s => s.Id).ToHashSet();
        var never = new List<Guid>();
        foreach (var record in candidates)
        {
            var books = await connections.FindAsync(record.SecondaryConnectionId ?? record.ConnectionId ?? Guid.Empty, cancellationToken);
            if (!settled.Contains(record.Id) || adapters.FirstOrDefault(a => a.Kind == books?.Kind) is not { ReinstatesDepositedReversals: false })
            {
                never.Add(record.Id);
            }
        }

        return never;
    }

    private PayoutDepositNeedsAttention Attention(PayoutAccepted payout, string code, string reason) =>
        new(payout.MeshPayoutId, payout.PayoutId, payout.TenantId, code, reason, clock.GetUtcNow(), payout.Currency, payout.Amount,
            payout.Payments.Sum(p => p.Fee), payout.PaidAt, payout.Payments.Count);

    private PayoutDepositSkipped Skipped(PayoutAccepted payout, Guid connectionId, decimal fees) =>
        new(payout.MeshPayoutId, payout.PayoutId, payout.TenantId, connectionId, payout.Amount, fees, clock.GetUtcNow(), payout.Currency, payout.PaidAt,
            payout.Payments.Count);
}

/// <summary>A payout names payments not written back yet; retried while they may still be.</summary>
public sealed class PayoutPaymentsNotWrittenYetException(IReadOnlyList<string> paymentIds)
    : Exception($"Payment(s) {string.Join(", ", paymentIds.Take(10))} not written back yet")
{
    public IReadOnlyList<string> PaymentIds { get; } = paymentIds;
}

/// <summary>How long a payout waits in its slot for its payments to be written back before it waits aside.</summary>
public static class PayoutWait
{
    public static readonly TimeSpan[] Intervals = [.. new[] { 250, 500, 1000 }.Select(ms => TimeSpan.FromMilliseconds(ms))];
}

public sealed class DepositPayoutConsumerDefinition : ConsumerDefinition<DepositPayoutConsumer>
{
    public const string QueueName = "writeback.payout-deposits";

    public DepositPayoutConsumerDefinition()
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 2;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<DepositPayoutConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(r =>
        {
            r.Handle<PayoutPaymentsNotWrittenYetException>();
            r.Intervals(PayoutWait.Intervals);
        });
}
