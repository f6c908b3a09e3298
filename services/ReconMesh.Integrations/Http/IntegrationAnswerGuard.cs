using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using ReconMesh.Contracts;

namespace ReconMesh.Integrations.Http;

/// <summary>
/// What comes back from an integration before anything reads it: a refused connection is said as such (not as a lost
/// connection to retry), a redirect fails the call (its target is never requested), and an answer longer than
/// <see cref="IntegrationAddressPolicy.MaxAnswerBytes"/> fails the call after reading no more than that.
/// </summary>
public sealed class IntegrationAnswerGuard(IntegrationAddressPolicy policy, IntegrationKind kind) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex) when (IntegrationRefusedException.In(ex) is { } refused)
        {
            throw new IntegrationRefusedException(refused.Message, ex);
        }

        try
        {
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.StatusCode != HttpStatusCode.NotModified)
            {
                throw new IntegrationRefusedException(
                    $"{kind} answered HTTP {status.ToString(CultureInfo.InvariantCulture)}, a redirect, which is not followed: " +
                    "the connection's BaseUrl must be the API's own address.");
            }

            await BoundAsync(response, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Reads the body into memory, at most the limit; the content stays readable as before.</summary>
    private async Task BoundAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var max = policy.MaxAnswerBytes;
        if (response.Content.Headers.ContentLength > max)
        {
            throw TooLarge($"a body of {response.Content.Headers.ContentLength.Value.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                throw TooLarge("a longer body");
            }

            buffer.Write(chunk, 0, read);
        }

        var bounded = new ByteArrayContent(buffer.ToArray());
        foreach (var header in response.Content.Headers.Where(h => !string.Equals(h.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            bounded.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        bounded.Headers.ContentLength = buffer.Length;
        response.Content.Dispose();
        response.Content = bounded;
    }

    private IntegrationRefusedException TooLarge(string size) =>
        new($"{kind} answered {size}, more than the {policy.MaxAnswerBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes an answer may have " +
            $"(setting {IntegrationAddressPolicy.MaxAnswerBytesKey}); the answer was not read.");
}
