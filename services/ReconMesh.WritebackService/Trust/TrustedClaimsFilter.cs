using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Marten;
using MassTransit;
using ReconMesh.Contracts.Invoices;
using ReconMesh.Contracts.Payments;
using ReconMesh.Contracts.Payouts;
using ReconMesh.ServiceDefaults.Messaging;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService.Trust;

/// <summary>
/// Runs before every consumer and the saga of WritebackService: a message whose claims do not hold (see
/// <see cref="MessageClaims"/>) reaches none of them. It is recorded as a <see cref="RefusedMessage"/> (its own
/// transaction, so the entry stays whatever happens next) and faulted with <see cref="UntrustedMessageException"/>:
/// not retried, moved to the endpoint's <c>_error</c> queue. Message types without a check pass untouched.
/// </summary>
public sealed class TrustedClaimsFilter<T>(IEnumerable<IClaimCheck<T>> checks, IDocumentStore store, TimeProvider clock) : IFilter<ConsumeContext<T>>
    where T : class
{
    private static readonly JsonSerializerOptions Json = WireJson.Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        foreach (var check in checks)
        {
            if (await check.CheckAsync(context.Message, context.CancellationToken) is { } refusal)
            {
                await RecordAsync(context, refusal);
                throw new UntrustedMessageException(refusal.Reason);
            }
        }

        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("trustedClaims");

    private async Task RecordAsync(ConsumeContext<T> context, Refusal refusal)
    {
        await using var session = store.LightweightSession();
        session.Store(new RefusedMessage
        {
            Id = context.MessageId ?? NewId.NextGuid(),
            MessageType = typeof(T).Name,
            Queue = context.ReceiveContext.InputAddress.AbsolutePath.TrimStart('/'),
            ClaimedTenantId = refusal.ClaimedTenantId,
            TargetTenantId = refusal.TargetTenantId == refusal.ClaimedTenantId ? null : refusal.TargetTenantId,
            Reason = refusal.Reason,
            Body = JsonSerializer.Serialize(context.Message, Json),
            RefusedAt = clock.GetUtcNow(),
        });
        await session.SaveChangesAsync(context.CancellationToken);
    }
}
