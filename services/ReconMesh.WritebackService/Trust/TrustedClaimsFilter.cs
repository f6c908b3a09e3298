using MassTransit;

namespace ReconMesh.WritebackService.Trust;

/// <summary>
/// Runs before every consumer and the saga of WritebackService: a message whose claims do not hold (see
/// <see cref="MessageClaims"/>) reaches none of them. It is recorded (<see cref="RefusedMessages"/>) and faulted with
/// <see cref="UntrustedMessageException"/>: not retried, moved to the endpoint's <c>_error</c> queue. Message types
/// without a check pass untouched (a batch consumer checks its messages itself).
/// </summary>
public sealed class TrustedClaimsFilter<T>(IEnumerable<IClaimCheck<T>> checks, RefusedMessages refused) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        foreach (var check in checks)
        {
            if (await check.CheckAsync(context.Message, context.CancellationToken) is { } refusal)
            {
                await refused.RecordAsync(context, refusal);
                throw new UntrustedMessageException(refusal.Reason);
            }
        }

        await next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("trustedClaims");
}
