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

    /// <summary>
    /// Reads the body into the content's own buffer, at most the limit; the content stays readable as before. One
    /// buffer, taken from the shared pool and given back when the answer is disposed: a page of a thousand invoices is
    /// megabytes, and copying it through a growing stream and then an array put each page on the large-object heap
    /// three times (a full collection each, in the profile of an initial sync; docs/benchmarks.md).
    /// </summary>
    private async Task BoundAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var max = policy.MaxAnswerBytes;
        if (response.Content.Headers.ContentLength > max)
        {
            throw TooLarge($"a body of {response.Content.Headers.ContentLength.Value.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(Math.Min(max, int.MaxValue), cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            throw TooLarge("a longer body");
        }
    }

    private IntegrationRefusedException TooLarge(string size) =>
        new($"{kind} answered {size}, more than the {policy.MaxAnswerBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes an answer may have " +
            $"(setting {IntegrationAddressPolicy.MaxAnswerBytesKey}); the answer was not read.");
}
