namespace ReconMesh.Sandbox.Autotask;

/// <summary>An API-only user of a database: its <c>UserName</c>, <c>Secret</c> and tracking identifier (<c>ApiIntegrationCode</c>).</summary>
internal sealed record AutotaskApiUser(string UserName, string Secret, string IntegrationCode, string DatabaseId);
