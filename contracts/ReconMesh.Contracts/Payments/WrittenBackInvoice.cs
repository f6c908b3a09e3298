namespace ReconMesh.Contracts.Payments;

/// <summary>How a written-back payment left one invoice in the integration.</summary>
/// <param name="InvoiceId">ReconMesh's invoice id.</param>
/// <param name="ExternalInvoiceId">The invoice's id in the integration.</param>
/// <param name="AmountApplied">What this payment applied to the invoice.</param>
/// <param name="BalanceAfter">The invoice's balance in the integration after the write.</param>
public sealed record WrittenBackInvoice(Guid InvoiceId, string ExternalInvoiceId, decimal AmountApplied, decimal BalanceAfter);
