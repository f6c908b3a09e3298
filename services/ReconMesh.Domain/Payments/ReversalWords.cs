using ReconMesh.Contracts.Payments;

namespace ReconMesh.Domain.Payments;

/// <summary>How a reversal is named in the reasons people read, in one place for every decider.</summary>
public static class ReversalWords
{
    /// <summary>"refunded", "charged back", or <paramref name="failed"/> for a failure.</summary>
    public static string Past(PaymentReversalKind kind, string failed = "failed") => kind switch
    {
        PaymentReversalKind.Refunded => "refunded",
        PaymentReversalKind.ChargedBack => "charged back",
        _ => failed,
    };

    /// <summary>"refund", "chargeback" or "failure".</summary>
    public static string Noun(PaymentReversalKind kind) => kind switch
    {
        PaymentReversalKind.Refunded => "refund",
        PaymentReversalKind.ChargedBack => "chargeback",
        _ => "failure",
    };
}
