namespace ReconMesh.Contracts.Payments;

/// <summary>The part of a payment applied to one invoice.</summary>
/// <param name="InvoiceId">ReconMesh's invoice id, from <see cref="Invoices.InvoiceSynced.InvoiceId"/>.</param>
/// <param name="Amount">Amount applied to that invoice, in the payment's currency, exact and positive.</param>
public sealed record PaymentAllocation(Guid InvoiceId, decimal Amount);
