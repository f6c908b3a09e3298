using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReconMesh.Sandbox.Platform;

/// <summary>
/// The platform's other way of reporting events: a signed HTTP webhook. Each event is POSTed as
/// <c>{"type","id","data"}</c> JSON with <c>ReconMesh-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c>.
/// The target and its secret are set at run time (<c>PUT /admin/platform/webhook</c>), since the receiver usually
/// starts after the sandbox.
/// </summary>
public sealed class PlatformWebhookSender(IHttpClientFactory http, TimeProvider clock)
{
    public const string HttpClientName = "platform-webhook";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private volatile Target? _target;

    public sealed record Target(Uri Url, string Secret);

    public Target? Current => _target;

    public void Configure(Target? target) => _target = target;

    /// <summary>Delivers one event; the receiver's answer is returned as it came (status and body).</summary>
    public async Task<(int Status, string Body)> SendAsync(string type, object data, CancellationToken cancellationToken)
    {
        var target = _target ?? throw new InvalidOperationException("No webhook target: PUT /admin/platform/webhook first.");
        var body = JsonSerializer.SerializeToUtf8Bytes(new { type, id = $"evt_{Guid.NewGuid():N}", data }, Json);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray();
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(target.Secret), signed));

        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("ReconMesh-Signature", $"t={timestamp},v1={signature}");
        using var response = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
