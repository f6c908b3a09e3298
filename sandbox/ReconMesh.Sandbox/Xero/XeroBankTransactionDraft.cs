namespace ReconMesh.Sandbox.Xero;

/// <summary>A spend or receive bank transaction that passed validation and is ready to be recorded.</summary>
internal sealed record XeroBankTransactionDraft(string Type, XeroContact Contact, XeroAccount BankAccount, IReadOnlyList<XeroLineItem> LineItems,
    DateOnly Date, string? Reference, bool IsReconciled);
