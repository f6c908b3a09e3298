using Marten;
using ReconMesh.Contracts.Payments;
using ReconMesh.Domain.Writeback;
using ReconMesh.EventSourcing.Identity;
using ReconMesh.EventSourcing.Store;
using ReconMesh.ServiceDefaults.Validation;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService.Api;

/// <summary>
/// The exceptions queue: every payment that needs a person, per tenant, with its reason and its story; and the two
/// things a person can do about one, each recorded in the payment's writeback stream: retry, or dismiss.
/// A tenant sees and touches only its own payments: anything else is "not found".
/// </summary>
public static class ExceptionsApi
{
    /// <summary>One event of the payment's stream; its trace id is that of the work that recorded it (its <c>traceparent</c>), to find its spans.</summary>
    public sealed record StoryEntry(long Version, string Event, DateTimeOffset RecordedAt, object Data, string? TraceId = null);

    /// <summary>A payment as WritebackService knows it: where it stands, the invoices the platform said it pays, when the platform processed it, and its story.</summary>
    public sealed record PaymentDetails(
        Guid MeshPaymentId, string PaymentId, string State, string Currency, decimal Amount, string? ReasonCode, string? Reason, string? Stage,
        bool FailedOnPlatform, IReadOnlyList<string> ExternalPaymentIds, DateTimeOffset UpdatedAt, IReadOnlyList<StoryEntry> Story,
        IReadOnlyList<PaymentAllocation>? Allocations = null, DateTimeOffset? ProcessedAt = null);

    /// <summary>Who asks for the retry, and what they fixed before it (kept in the payment's story, at most 500 characters).</summary>
    public sealed record RetryRequest(string? RequestedBy, string? Note = null);

    public sealed record DismissRequest(string? DismissedBy, string? Reason);

    public static IEndpointRouteBuilder MapExceptionsApi(this IEndpointRouteBuilder endpoints)
    {
        var tenant = endpoints.MapGroup("/tenants/{tenantId}").WithTags("Exceptions");
        tenant.MapGet("/exceptions", ListAsync);
        tenant.MapGet("/payments/{meshPaymentId:guid}", GetAsync);
        // By the platform's own payment id, as a person searching for a payment knows it: the same answer as by the mesh's id.
        tenant.MapGet("/platform-payments/{paymentId}", (string tenantId, string paymentId, IQuerySession session, CancellationToken cancellationToken) =>
            IdBounds.IsExternalId(paymentId)
                ? GetAsync(tenantId, MeshIds.Payment(tenantId, paymentId), session, cancellationToken)
                : Task.FromResult(Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Payment not found",
                    detail: $"A platform payment id is {IdBounds.ExternalIdRule}.")));
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
            () => new Domain.Writeback.ExceptionRetryRequested(meshPaymentId, tenantId, Who(request?.RequestedBy), clock.GetUtcNow(),
                Bounded(request?.Note, 500)), cancellationToken);

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
            () => new Domain.Writeback.ExceptionDismissed(meshPaymentId, tenantId, Who(request.DismissedBy), Bounded(request.Reason, 500)!, clock.GetUtcNow()), cancellationToken);
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
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ConcurrentAppend.Lost(ex))
        {
            // The other decision (a second click, a colleague) was recorded first; this one changes nothing.
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not waiting for a person",
                detail: $"Payment {meshPaymentId} was decided on by another request at the same moment; this one changed nothing.");
        }

        return Results.Accepted($"/tenants/{tenantId}/payments/{meshPaymentId}");
    }

    private static async Task<PaymentDetails> DetailsAsync(IQuerySession session, PaymentReconciliation saga, CancellationToken cancellationToken)
    {
        var events = await session.Events.FetchStreamAsync(saga.CorrelationId, token: cancellationToken);
        return new PaymentDetails(saga.CorrelationId, saga.PaymentId, saga.CurrentState, saga.Currency, saga.Amount, saga.ReasonCode, saga.Reason,
            saga.AttentionStage, saga.FailureReceived, saga.ExternalPaymentIds, saga.UpdatedAt,
            [.. events.Select(e => new StoryEntry(e.Version, e.EventTypeName, e.Timestamp, e.Data, TraceId(e)))], saga.Allocations, saga.ProcessedAt);
    }

    /// <summary>The trace id of a <c>traceparent</c> header (version-traceid-spanid-flags), or null without one.</summary>
    private static string? TraceId(JasperFx.Events.IEvent e) =>
        System.Diagnostics.ActivityContext.TryParse(e.GetHeader(TraceParentHeader)?.ToString(), null, out var context) ? context.TraceId.ToHexString() : null;

    private const string TraceParentHeader = "traceparent";

    private static IResult NotFound(string tenantId, Guid meshPaymentId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Payment not found", detail: $"Tenant {tenantId} has no payment {meshPaymentId}.");

    private static string? Bounded(string? text, int length) =>
        string.IsNullOrWhiteSpace(text) ? null : new string([.. text.Trim().Where(c => !char.IsControl(c) || c == '\n').Take(length)]);

    private static string Who(string? name) => string.IsNullOrWhiteSpace(name) ? "unknown" : name.Trim()[..Math.Min(100, name.Trim().Length)];
}
