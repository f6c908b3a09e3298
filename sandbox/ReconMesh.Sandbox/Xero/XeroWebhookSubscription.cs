namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// The app's webhook: where events go, the key that signs them, and whether the endpoint passed "intent to receive"
/// (<c>OK</c>); Xero sends nothing to an endpoint that has not.
/// </summary>
public sealed record XeroWebhookSubscription(Uri Url, string Key, string Status, string? Detail);
