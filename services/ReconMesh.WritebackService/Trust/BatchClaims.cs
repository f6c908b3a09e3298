using MassTransit;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.WritebackService.Trust;

/// <summary>
/// The claims filter for a batch consumer (<see cref="TrustedClaimsFilter{T}"/> sees only the batch): each message whose
/// claims do not hold is recorded and refused alone into the endpoint's error queue; the others are returned.
/// </summary>
public static class BatchClaims
{
    public static async Task<List<ConsumeContext<T>>> TrustedAsync<T>(IEnumerable<ConsumeContext<T>> deliveries, IClaimCheck<T> check,
        RefusedMessages refused, Type consumerType, CancellationToken token)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(refused);
        var trusted = new List<ConsumeContext<T>>();
        foreach (var delivery in deliveries)
        {
            if (await check.CheckAsync(delivery.Message, token) is { } refusal)
            {
                await refused.RecordAsync(delivery, refusal);
                await delivery.RefuseAsync(new UntrustedMessageException(refusal.Reason), consumerType);
                continue;
            }

            trusted.Add(delivery);
        }

        return trusted;
    }
}
