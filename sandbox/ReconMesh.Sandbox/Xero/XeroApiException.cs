namespace ReconMesh.Sandbox.Xero;

/// <summary>Thrown while handling a request to end it with one of Xero's error answers (see <see cref="XeroErrors"/>).</summary>
internal sealed class XeroApiException(XeroHttpResponse response) : Exception("Xero error " + response.Status)
{
    public XeroHttpResponse Response { get; } = response;
}
