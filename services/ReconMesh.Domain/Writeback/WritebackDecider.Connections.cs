namespace ReconMesh.Domain.Writeback;

/// <summary>What a connection's state decides: removed, not known here, or a status-only PSA without its books.</summary>
public static partial class WritebackDecider
{
    /// <summary>The reason code of a payment for an invoice whose connection a tenant removed.</summary>
    public const string ConnectionRemovedCode = "connection-removed";

    /// <summary>The reason code of a payment for a status-only PSA (Autotask) that is not paired with accounting.</summary>
    public const string UnpairedStatusOnlyCode = "accounting-not-paired";

    /// <summary>The attention a reversal needs when a target's connection was removed: nothing is written to it, not even a reversal.</summary>
    public static WritebackOutcome ConnectionRemovedForReversal(ConnectionRemoval removed) =>
        new WritebackOutcome.NeedsAttention(ConnectionRemovedCode, ConnectionRemovedReason(removed, "the failed payment was not reverted there"));

    /// <summary>The attention a reversal needs when a target's connection is not known here (or cannot take payments).</summary>
    public static WritebackOutcome ConnectionUnknownForReversal(Guid connectionId) =>
        new WritebackOutcome.NeedsAttention("connection-unknown",
            $"Connection {connectionId} is not configured in WritebackService; the failed payment could not be reverted.");

    private static string ConnectionRemovedReason(ConnectionRemoval removed, string consequence) =>
        $"Connection {removed.ConnectionId} was removed by {removed.RemovedBy} at {removed.RemovedAt:O}; {consequence}. " +
        "Book it by hand in the integration, or dismiss it.";

    /// <summary>
    /// A status-only PSA (Autotask) keeps no amounts: without its paired books a payment is written nowhere, and a person
    /// is told to pair it. Null for any other connection.
    /// </summary>
    private static WriteStep.Record? Unpaired(PaymentToWrite payment, ConnectionFacts primary, DateTimeOffset now) =>
        primary.StatusOnly && primary.SecondaryConnectionId is null
            ? Record(Attention(payment, primary.Id, UnpairedStatusOnlyCode,
                $"{primary.Kind} records only whether an invoice is paid, not the money: its payments are written back only when the " +
                "connection is paired with QuickBooks Online or Xero (secondaryConnectionId). Pair it, then retry; nothing was written.", now))
            : null;
}
