using Marten;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.ServiceDefaults.Validation;
using ReconMesh.WritebackService.Payouts;

namespace ReconMesh.WritebackService.Api;

/// <summary>
/// A tenant's payouts against their deposits, newest first, a page at a time (<c>attention=true</c>: only those a person
/// should look at); and what became of one payout: deposited (with the integration's deposit id), skipped by the
/// connection's choice, or needing a person (with the reason), as its writeback stream records it. A tenant sees only
/// its own payouts.
/// </summary>
public static class PayoutsApi
{
    public const int MaxPageSize = 100;
    public const int MaxPage = 10_000;

    public sealed record PayoutOutcome(Guid MeshPayoutId, string PayoutId, string Outcome, string? ExternalDepositId, decimal? Amount,
        string? ReasonCode, string? Reason, DateTimeOffset RecordedAt);

    /// <summary>
    /// One payout beside its deposit (<see cref="PayoutRecord"/>). Match: Matched, Mismatched, NotDeposited (needs a person),
    /// NotRecorded (the connection records no deposits) or Unknown; NeedsAttention: a deposit that differs from the payout,
    /// or none where one was due.
    /// </summary>
    public sealed record PayoutLine(Guid MeshPayoutId, string PayoutId, string Outcome, string Match, bool NeedsAttention, string? Currency,
        decimal? PayoutAmount, decimal? Fees, int? Payments, DateTimeOffset? PaidAt, decimal? DepositAmount, string? ExternalDepositId,
        Guid? ConnectionId, string? DepositAccountId, string? ReasonCode, string? Reason, DateTimeOffset DecidedAt);

    /// <summary>A page of payouts; Total: how many the tenant has (with <c>attention=true</c>: how many need a person), NeedingAttention: how many of all need a person.</summary>
    public sealed record PayoutPage(string TenantId, int Page, int PageSize, int Total, int NeedingAttention, IReadOnlyList<PayoutLine> Payouts);

    public static IEndpointRouteBuilder MapPayoutsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/tenants/{tenantId}/payouts", ListAsync).WithTags("Payouts");
        endpoints.MapGet("/tenants/{tenantId}/payouts/{payoutId}", GetAsync).WithTags("Payouts");
        return endpoints;
    }

    private static async Task<IResult> ListAsync(string tenantId, IQuerySession session, int? page, int? pageSize, bool? attention,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > MaxPage)
        {
            errors["page"] = [$"A page is a number from 1 to {MaxPage}."];
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"A page holds 1 to {MaxPageSize} payouts."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var (number, size) = (page ?? 1, pageSize ?? 50);
        var all = session.Query<PayoutRecord>().Where(p => p.TenantId == tenantId);
        var listed = attention == true ? all.Where(p => p.NeedsAttention) : all;
        var total = await listed.CountAsync(cancellationToken);
        var needing = attention == true ? total : await all.CountAsync(p => p.NeedsAttention, cancellationToken);
        var rows = await listed.OrderByDescending(p => p.DecidedAt).ThenBy(p => p.Id).Skip((number - 1) * size).Take(size).ToListAsync(cancellationToken);
        return Results.Ok(new PayoutPage(tenantId, number, size, total, needing, [.. rows.Select(Line)]));
    }

    private static PayoutLine Line(PayoutRecord r) =>
        new(r.Id, r.PayoutId, r.Outcome, r.Match, r.NeedsAttention, r.Currency, r.PayoutAmount, r.Fees, r.Payments, r.PaidAt, r.DepositAmount,
            r.ExternalDepositId, r.ConnectionId, r.DepositAccountId, r.ReasonCode, r.Reason, r.DecidedAt);

    private static async Task<IResult> GetAsync(string tenantId, string payoutId, IQuerySession session, CancellationToken cancellationToken)
    {
        if (!IdBounds.IsExternalId(payoutId))
        {
            return NotFound(tenantId, payoutId);
        }

        var id = MeshIds.Payout(tenantId, payoutId);
        var events = await session.Events.FetchStreamAsync(id, token: cancellationToken);
        PayoutOutcome? outcome = events.Select(e => e.Data).LastOrDefault() switch
        {
            PayoutDepositRecorded d when d.TenantId == tenantId => new(id, payoutId, "Deposited", d.ExternalDepositId, d.Amount, null, null, d.RecordedAt),
            PayoutDepositSkipped s when s.TenantId == tenantId => new(id, payoutId, "Skipped", null, s.Amount, null, null, s.SkippedAt),
            PayoutDepositNeedsAttention n when n.TenantId == tenantId => new(id, payoutId, "NeedsAttention", null, null, n.ReasonCode, n.Reason, n.RaisedAt),
            _ => null,
        };
        return outcome is null ? NotFound(tenantId, payoutId) : Results.Ok(outcome);
    }

    private static IResult NotFound(string tenantId, string payoutId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Payout not found",
            detail: $"Tenant {tenantId} has no payout {IdBounds.Shown(payoutId)} that WritebackService has decided on (yet).");
}
