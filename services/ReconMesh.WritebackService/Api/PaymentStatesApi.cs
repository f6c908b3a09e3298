using Marten;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService.Api;

/// <summary>
/// Where a tenant's payments are, for an operator: how many are in each state of their reconciliation, and the
/// oldest ones still on their way (neither finished nor waiting for a person in the exceptions queue). A payment that
/// stays on its way for long is stuck: this is where to see it. A tenant sees only its own payments.
/// </summary>
public static class PaymentStatesApi
{
    /// <summary>States a payment ends in: nothing more happens to it unless the platform reports it failed.</summary>
    public static readonly IReadOnlyList<string> Finished =
    [
        ReconciliationState.Applied, ReconciliationState.Reversed,
        ReconciliationState.Cancelled, ReconciliationState.DismissedByPerson,
    ];

    /// <summary>The state of the exceptions queue: waiting for a person, with a reason.</summary>
    public const string WaitingForPerson = ReconciliationState.NeedsAttention;

    /// <summary>States a payment passes through on its way.</summary>
    public static readonly IReadOnlyList<string> OnTheirWay =
    [
        ReconciliationState.WritingBack, ReconciliationState.Reversing,
        ReconciliationState.FailedBeforeAcceptance,
    ];

    private const int Listed = 100;

    public sealed record PaymentOnItsWay(Guid MeshPaymentId, string PaymentId, string State, DateTimeOffset UpdatedAt);

    /// <param name="TenantId">The tenant asked about.</param>
    /// <param name="Payments">Every payment of the tenant the WritebackService knows.</param>
    /// <param name="States">How many are in each state (states with none are left out).</param>
    /// <param name="OnTheirWay">How many are neither finished nor waiting for a person.</param>
    /// <param name="Oldest">The longest-waiting of those, oldest first (at most 100).</param>
    public sealed record PaymentStates(string TenantId, int Payments, IReadOnlyDictionary<string, int> States, int OnTheirWay,
        IReadOnlyList<PaymentOnItsWay> Oldest);

    public static IEndpointRouteBuilder MapPaymentStatesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/tenants/{tenantId}/payments", StatesAsync).WithTags("Exceptions");
        return endpoints;
    }

    private static async Task<IResult> StatesAsync(string tenantId, IQuerySession session, CancellationToken cancellationToken)
    {
        var states = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var state in Finished.Append(WaitingForPerson).Concat(OnTheirWay))
        {
            var count = await session.Query<PaymentReconciliation>()
                .CountAsync(s => s.TenantId == tenantId && s.CurrentState == state, cancellationToken);
            if (count > 0)
            {
                states[state] = count;
            }
        }

        // Anything else (a state added later and not listed here) is counted too, so nothing hides from the total.
        var total = await session.Query<PaymentReconciliation>().CountAsync(s => s.TenantId == tenantId, cancellationToken);
        var known = states.Values.Sum();
        if (total > known)
        {
            states["Other"] = total - known;
        }

        var onTheirWay = OnTheirWay.Sum(s => states.GetValueOrDefault(s)) + states.GetValueOrDefault("Other");
        var waiting = OnTheirWay.ToArray();
        var oldest = await session.Query<PaymentReconciliation>()
            .Where(s => s.TenantId == tenantId && s.CurrentState.IsOneOf(waiting))
            .OrderBy(s => s.UpdatedAt).Take(Listed).ToListAsync(cancellationToken);
        return Results.Ok(new PaymentStates(tenantId, total, states, onTheirWay,
            [.. oldest.Select(s => new PaymentOnItsWay(s.CorrelationId, s.PaymentId, s.CurrentState, s.UpdatedAt))]));
    }
}
