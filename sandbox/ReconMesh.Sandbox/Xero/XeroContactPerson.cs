namespace ReconMesh.Sandbox.Xero;

/// <summary>An extra person of a contact; <c>IncludeInEmails</c> marks those who get the contact's invoices by email.</summary>
internal sealed record XeroContactPerson(string? FirstName, string? LastName, string? EmailAddress, bool IncludeInEmails);
