using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.PaymentEvents.Payments;

/// <summary>
/// An exceptions-queue entry for a platform message that could not be accepted, with the reasons and the message
/// as received, so a person can correct and replay it.
/// </summary>
public sealed class RejectedMessage
{
    /// <summary>The bus message id (or a hash of the webhook body): a redelivery updates, not duplicates, the entry.</summary>
    public Guid Id { get; set; }

    /// <summary>As received when it is printable and bounded, else its start and length (<see cref="IdBounds.Shown"/>): a rejected id may be anything.</summary>
    public string? TenantId { get; set => field = Recordable(value); }

    /// <inheritdoc cref="TenantId"/>
    public string? PaymentId { get; set => field = Recordable(value); }

    public string MessageType { get; set; } = "";

    public IReadOnlyList<string> Reasons { get; set; } = [];

    public string Body { get; set; } = "";

    public DateTimeOffset RejectedAt { get; set; }

    private static string? Recordable(string? value) => string.IsNullOrEmpty(value) || IdBounds.IsExternalId(value) ? value : IdBounds.Shown(value);
}
