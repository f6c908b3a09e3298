using Marten;
using ReconMesh.Domain.Writeback;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService.Api;

/// <summary>
/// The exceptions queue: every payment that needs a person, per tenant, with its reason and its story; and the two
/// things a person can do about one, each recorded in the payment's writeback stream: retry, or dismiss.
/// A tenant sees and touches only its own payments: anything else is "not found".
/// </summary>
public static class ExceptionsApi
{
    public sealed record StoryEntry(long Version, string Event, DateTimeOffset RecordedAt, object Data);

    public sealed record PaymentDetails(
        Guid MeshPaymentId, string PaymentId, string State, string Currency, decimal Amount, string? ReasonCode, string? Reason, string? Stage,
        bool FailedOnPlatform, IReadOnlyList<string> ExternalPaymentIds, DateTimeOffset UpdatedAt, IReadOnlyList<StoryEntry> Story);

    public sealed record RetryRequest(string? RequestedBy);

    public sealed record DismissRequest(string? DismissedBy, string? Reason);

    public static IEndpointRouteBuilder MapExceptionsApi(this IEndpointRouteBuilder endpoints)
    {
        var tenant = endpoints.MapGroup("/tenants/{tenantId}").WithTags("Exceptions");
        tenant.MapGet("/exceptions", ListAsync);
        tenant.MapGet("/payments/{meshPaymentId:guid}", GetAsync);
        tenant.MapPost("/exceptions/{meshPaymentId:guid}/retry", RetryAsync);
        tenant.MapPost("/exceptions/{meshPaymentId:guid}/dismiss", DismissAsync);
        return endpoints;
    }

    private static async Task<IResult> ListAsync(string tenantId, IQuerySession session, CancellationToken cancellationToken)
    {
        var waiting = await session.Query<PaymentReconciliation>()
            .Where(s => s.TenantId == tenantId && s.CurrentState == ReconciliationState.NeedsAttention)
            .OrderBy(s => s.UpdatedAt).Take(1000).ToListAsync(cancellationToken);
        var details = new List<PaymentDetails>(waiting.Count);
        foreach (var saga in waiting)
        {
            details.Add(await DetailsAsync(session, saga, cancellationToken));
        }

        return Results.Ok(details);
    }

    private static async Task<IResult> GetAsync(string tenantId, Guid meshPaymentId, IQuerySession session, CancellationToken cancellationToken)
    {
        var saga = await session.LoadAsync<PaymentReconciliation>(meshPaymentId, cancellationToken);
        return saga is null || saga.TenantId != tenantId
            ? NotFound(tenantId, meshPaymentId)
            : Results.Ok(await DetailsAsync(session, saga, cancellationToken));
    }

    private static Task<IResult> RetryAsync(string tenantId, Guid meshPaymentId, RetryRequest? request, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellationToken) =>
        DecideAsync(tenantId, meshPaymentId, session,
            () => new Domain.Writeback.ExceptionRetryRequested(meshPaymentId, tenantId, Who(request?.RequestedBy), clock.GetUtcNow()), cancellationToken);

    private static Task<IResult> DismissAsync(string tenantId, Guid meshPaymentId, DismissRequest? request, IDocumentSession session,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Reason))
        {
            return Task.FromResult(Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = ["Say why the exception needs nothing more from ReconMesh; it is kept in the payment's story."],
            }));
        }

        return DecideAsync(tenantId, meshPaymentId, session,
            () => new Domain.Writeback.ExceptionDismissed(meshPaymentId, tenantId, Who(request.DismissedBy), request.Reason, clock.GetUtcNow()), cancellationToken);
    }

    private static async Task<IResult> DecideAsync(string tenantId, Guid meshPaymentId, IDocumentSession session, Func<object> decision,
        CancellationToken cancellationToken)
    {
        var saga = await session.LoadAsync<PaymentReconciliation>(meshPaymentId, cancellationToken);
        if (saga is null || saga.TenantId != tenantId)
        {
            return NotFound(tenantId, meshPaymentId);
        }

        var record = await session.LoadAsync<WritebackRecord>(meshPaymentId, cancellationToken);
        if (saga.CurrentState != ReconciliationState.NeedsAttention || record is not { AwaitingPerson: true })
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not waiting for a person",
                detail: $"Payment {meshPaymentId} is {saga.CurrentState}; only a payment that needs attention can be retried or dismissed.");
        }

        // Expected version: two people deciding at once cannot both win.
        session.Events.Append(meshPaymentId, record.Version + 1, decision());
        await session.SaveChangesAsync(cancellationToken);
        return Results.Accepted($"/tenants/{tenantId}/payments/{meshPaymentId}");
    }

    private static async Task<PaymentDetails> DetailsAsync(IQuerySession session, PaymentReconciliation saga, CancellationToken cancellationToken)
    {
        var events = await session.Events.FetchStreamAsync(saga.CorrelationId, token: cancellationToken);
        return new PaymentDetails(saga.CorrelationId, saga.PaymentId, saga.CurrentState, saga.Currency, saga.Amount, saga.ReasonCode, saga.Reason,
            saga.AttentionStage, saga.FailureReceived, saga.ExternalPaymentIds, saga.UpdatedAt,
            [.. events.Select(e => new StoryEntry(e.Version, e.EventTypeName, e.Timestamp, e.Data))]);
    }

    private static IResult NotFound(string tenantId, Guid meshPaymentId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Payment not found", detail: $"Tenant {tenantId} has no payment {meshPaymentId}.");

    private static string Who(string? name) => string.IsNullOrWhiteSpace(name) ? "unknown" : name.Trim()[..Math.Min(100, name.Trim().Length)];
}
