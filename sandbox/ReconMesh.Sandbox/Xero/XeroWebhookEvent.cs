namespace ReconMesh.Sandbox.Xero;

/// <summary>A change Xero notifies webhooks of: a contact or invoice of an organisation created or updated.</summary>
internal sealed record XeroWebhookEvent(Guid TenantId, string Category, string Type, Guid ResourceId, DateTimeOffset EventDateUtc);
