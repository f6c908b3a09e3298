namespace ReconMesh.WritebackService.Trust;

/// <summary>
/// A message WritebackService refused because it is not what it claims to be (a tenant or id that does not match the
/// stream it would touch): nothing was changed, the message went to its endpoint's error queue, and this entry says
/// why, for the tenant it claimed and the tenant whose payment it named.
/// </summary>
public sealed class RefusedMessage
{
    /// <summary>The bus message id: a redelivery updates, not duplicates, the entry.</summary>
    public Guid Id { get; set; }

    public string MessageType { get; set; } = "";

    /// <summary>The queue it arrived on; its copy is in that queue's <c>_error</c> queue.</summary>
    public string Queue { get; set; } = "";

    /// <summary>The tenant the message named.</summary>
    public string? ClaimedTenantId { get; set; }

    /// <summary>The tenant whose stream or document it named, when WritebackService knows one and it differs.</summary>
    public string? TargetTenantId { get; set; }

    public string Reason { get; set; } = "";

    /// <summary>The message as received (JSON).</summary>
    public string Body { get; set; } = "";

    public DateTimeOffset RefusedAt { get; set; }
}
