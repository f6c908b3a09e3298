using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ReconMesh.Sandbox.ConnectWise;

/// <summary>One callback POST waiting to be delivered.</summary>
internal sealed record CwDelivery(string Url, byte[] Body, string Signature, string CompanyId, int CallbackId);

/// <summary>
/// Delivers callback payloads in the background, in the order they were queued: a JSON POST with the
/// <c>x-content-signature</c> header. A receiver that fails or times out is logged, never retried and never
/// reported to the request that caused the change.
/// </summary>
internal sealed partial class CwCallbackDispatcher(ILogger<CwCallbackDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Channel<CwDelivery> _queue = Channel.CreateUnbounded<CwDelivery>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = Timeout };

    public void Enqueue(CwDelivery delivery) => _queue.Writer.TryWrite(delivery);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await DeliverAsync(delivery, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(CwDelivery delivery, CancellationToken stoppingToken)
    {
        try
        {
            using var content = new ByteArrayContent(delivery.Body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = content };
            request.Headers.TryAddWithoutValidation("x-content-signature", delivery.Signature);
            using var response = await _http.SendAsync(request, stoppingToken);
            if (!response.IsSuccessStatusCode)
            {
                LogRejected(logger, delivery.CallbackId, delivery.CompanyId, delivery.Url, (int)response.StatusCode);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, delivery.CallbackId, delivery.CompanyId, delivery.Url);
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "ConnectWise callback {CallbackId} of site {CompanyId} to {Url} was answered with HTTP {Status}")]
    private static partial void LogRejected(ILogger logger, int callbackId, string companyId, string url, int status);

    [LoggerMessage(LogLevel.Warning, "ConnectWise callback {CallbackId} of site {CompanyId} to {Url} could not be delivered")]
    private static partial void LogFailed(ILogger logger, Exception exception, int callbackId, string companyId, string url);
}
