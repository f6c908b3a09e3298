namespace ReconMesh.WritebackService.Trust;

/// <summary>Why a message is refused, with the tenant it claimed and the tenant whose stream it named.</summary>
public sealed record Refusal(string Reason, string? ClaimedTenantId, string? TargetTenantId);

/// <summary>Loads the facts a message's claims are checked against and asks <see cref="MessageClaims"/>.</summary>
public interface IClaimCheck<in T>
    where T : class
{
    Task<Refusal?> CheckAsync(T message, CancellationToken cancellationToken);
}
