namespace ReconMesh.Contracts.Payments;

/// <summary>The payment status ReconMesh wrote to the integration.</summary>
public enum PaymentWritebackStatus
{
    /// <summary>Every invoice the payment covers is now fully paid.</summary>
    Paid = 1,

    /// <summary>At least one invoice still has a balance after this payment.</summary>
    PartiallyPaid = 2,
}
