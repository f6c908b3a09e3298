namespace ReconMesh.Contracts.Payments;

/// <summary>Why money the platform reported as paid did not stay paid.</summary>
public enum PaymentReversalKind
{
    /// <summary>The payment failed after it was reported processed (for example an ACH return).</summary>
    Failed = 1,

    /// <summary>The partner refunded the customer in full.</summary>
    Refunded = 2,

    /// <summary>The customer disputed the payment with their bank or card issuer and the platform lost or accepted the dispute.</summary>
    ChargedBack = 3,
}
