using Marten;
using ReconMesh.Domain.Payments;
using ReconMesh.EventSourcing.Store;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>
/// Reports, one (a door's single report) or many (a batch off the bus): one read of every stream they name, each decided in turn on the state
/// the reports before it left (a second report of one payment in the same batch is a duplicate), and one transaction for
/// everything decided, each stream at the version it was decided on.
/// </summary>
public sealed partial class PaymentIntake
{
    public async Task<IReadOnlyList<Outcome>> AcceptManyAsync(IReadOnlyList<(object Message, Guid SourceId)> reports, CancellationToken cancellationToken,
        UnknownPayment whenUnknown = UnknownPayment.Reject)
    {
        var checkedReports = new List<(object Message, Guid SourceId, string Type, string? TenantId, string? PaymentId, IReadOnlyList<string> Errors)>();
        foreach (var (message, sourceId) in reports)
        {
            var (type, tenantId, paymentId, errors) = await ValidateAsync(message, cancellationToken);
            checkedReports.Add((message, sourceId, type, tenantId, paymentId, errors));
        }

        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            var commands = checkedReports
                .Select(r => r.Errors.Count == 0 ? ToCommand(r.Message, now) : ((Guid Id, Func<PaymentStream, PaymentDecision>? Decide))default)
                .ToList();
            var states = await LoadStreamsAsync([.. commands.Where(c => c.Decide is not null).Select(c => c.Id).Distinct()], cancellationToken);
            var loadedVersions = states.ToDictionary(s => s.Key, s => s.Value.Version);
            var decided = new Dictionary<Guid, List<object>>();
            var outcomes = new List<Outcome>();
            for (var i = 0; i < checkedReports.Count; i++)
            {
                var r = checkedReports[i];
                var (id, decide) = commands[i];
                var decision = decide is null ? new PaymentDecision.Rejected(r.Errors) : decide(states[id]);
                if (decision is PaymentDecision.PaymentNotReceived notYet && whenUnknown == UnknownPayment.Wait)
                {
                    throw new PaymentNotReceivedYetException(notYet.Reason);
                }

                outcomes.Add(decision switch
                {
                    PaymentDecision.Rejected rejected => Reject(r.SourceId, r.TenantId, r.PaymentId, r.Type, rejected.Reasons, r.Message),
                    PaymentDecision.PaymentNotReceived unknown => Reject(r.SourceId, r.TenantId, r.PaymentId, r.Type, [unknown.Reason], r.Message),
                    PaymentDecision.Duplicate => Duplicate(id),
                    _ => new Outcome.Accepted(id),
                });
                if (decision is PaymentDecision.Accepted or PaymentDecision.Duplicate && decision.Events.Count > 0)
                {
                    (decided.TryGetValue(id, out var events) ? events : decided[id] = []).AddRange(decision.Events);
                    states[id] = decision.Events.Aggregate(states[id], PaymentStream.Evolve);
                }
            }

            foreach (var (id, events) in decided)
            {
                if (loadedVersions[id] == 0)
                {
                    session.Events.StartStream(id, [.. events]);
                }
                else
                {
                    session.Events.Append(id, loadedVersions[id] + events.Count, [.. events]);
                }
            }

            try
            {
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (Exception e) when (attempt < ConcurrentAppendAttempts && ConcurrentAppend.Lost(e))
            {
                // Another delivery of a report of one of these payments appended first: decide them all again on what it recorded.
                session.EjectAllPendingChanges();
                continue;
            }

            return [.. outcomes.Select((o, i) => Counted(checkedReports[i].Type, o))];
        }
    }

    private Outcome.Duplicate Duplicate(Guid id)
    {
        LogDuplicate(logger, id);
        return new Outcome.Duplicate(id);
    }

    /// <summary>The state of each stream, read in one query.</summary>
    private async Task<Dictionary<Guid, PaymentStream>> LoadStreamsAsync(Guid[] ids, CancellationToken cancellationToken)
    {
        var events = ids.Length == 0
            ? []
            : await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(ids)).OrderBy(e => e.Version).ToListAsync(cancellationToken);
        var byStream = events.ToLookup(e => e.StreamId, e => e.Data);
        return ids.ToDictionary(id => id, id => PaymentStream.From(byStream[id]));
    }
}
