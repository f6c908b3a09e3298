namespace ReconMesh.Sandbox.Xero;

/// <summary>A bank transfer that passed validation and is ready to be made.</summary>
internal sealed record XeroBankTransferDraft(XeroAccount From, XeroAccount To, decimal Amount, DateOnly Date, string? Reference);
