namespace ReconMesh.Sandbox.Xero;

/// <summary>What a bulk seed added: how many contacts and invoices, and the invoices' total.</summary>
public sealed record XeroSeedResult(int Contacts, int Invoices, decimal Total);
