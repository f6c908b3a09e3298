namespace ReconMesh.Contracts.Payments;

/// <summary>How the customer paid on the platform.</summary>
public enum PaymentMethod
{
    /// <summary>ACH bank debit (US).</summary>
    Ach = 1,

    /// <summary>Credit or debit card.</summary>
    Card = 2,

    /// <summary>Pay in installments: the partner is paid in full up front.</summary>
    Installments = 3,
}
