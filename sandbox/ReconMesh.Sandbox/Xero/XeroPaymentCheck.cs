namespace ReconMesh.Sandbox.Xero;

/// <summary>The outcome of validating one payment element: the draft, or the messages of its ValidationErrors.</summary>
internal sealed record XeroPaymentCheck(XeroPaymentDraft? Payment, IReadOnlyList<string> Errors);
