namespace ReconMesh.Sandbox.Xero;

/// <summary>An answer of the simulated API as it goes on the wire (kept whole so an idempotency key can replay it byte for byte).</summary>
internal sealed record XeroHttpResponse(int Status, byte[] Body, string ContentType = XeroHttpResponse.Json)
{
    public const string Json = "application/json; charset=utf-8";

    /// <summary>Extra headers (e.g. Retry-After); not replayed with the body.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
