using Marten;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.WritebackService.Payouts;

namespace ReconMesh.WritebackService.Api;

/// <summary>
/// What became of one payout: deposited (with the integration's deposit id), skipped by the connection's choice, or
/// needing a person (with the reason), as its writeback stream records it. A tenant sees only its own payouts.
/// </summary>
public static class PayoutsApi
{
    public sealed record PayoutOutcome(Guid MeshPayoutId, string PayoutId, string Outcome, string? ExternalDepositId, decimal? Amount,
        string? ReasonCode, string? Reason, DateTimeOffset RecordedAt);

    public static IEndpointRouteBuilder MapPayoutsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/tenants/{tenantId}/payouts/{payoutId}", GetAsync).WithTags("Payouts");
        return endpoints;
    }

    private static async Task<IResult> GetAsync(string tenantId, string payoutId, IQuerySession session, CancellationToken cancellationToken)
    {
        var id = MeshIds.Payout(tenantId, payoutId);
        var events = await session.Events.FetchStreamAsync(id, token: cancellationToken);
        PayoutOutcome? outcome = events.Select(e => e.Data).LastOrDefault() switch
        {
            PayoutDepositRecorded d when d.TenantId == tenantId => new(id, payoutId, "Deposited", d.ExternalDepositId, d.Amount, null, null, d.RecordedAt),
            PayoutDepositSkipped s when s.TenantId == tenantId => new(id, payoutId, "Skipped", null, s.Amount, null, null, s.SkippedAt),
            PayoutDepositNeedsAttention n when n.TenantId == tenantId => new(id, payoutId, "NeedsAttention", null, null, n.ReasonCode, n.Reason, n.RaisedAt),
            _ => null,
        };
        return outcome is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Payout not found",
                detail: $"Tenant {tenantId} has no payout {payoutId} that WritebackService has decided on (yet).")
            : Results.Ok(outcome);
    }
}
