namespace ReconMesh.Contracts.Invoices;

/// <summary>One billed line of an invoice, as the integration holds it.</summary>
/// <param name="Description">What was billed.</param>
/// <param name="Amount">Line amount in the invoice's currency, exact.</param>
public sealed record InvoiceLine(string Description, decimal Amount);
