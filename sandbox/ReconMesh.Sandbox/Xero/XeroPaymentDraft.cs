namespace ReconMesh.Sandbox.Xero;

/// <summary>A payment that passed validation and is ready to be applied.</summary>
internal sealed record XeroPaymentDraft(XeroInvoice Invoice, XeroAccount Account, DateOnly Date, decimal Amount, string? Reference, decimal CurrencyRate, bool IsReconciled);
