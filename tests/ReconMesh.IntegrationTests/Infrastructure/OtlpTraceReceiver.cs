using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>
/// A minimal OTLP/HTTP collector on a loopback port: what the services' own OTLP exporters send to
/// <c>POST /v1/traces</c> (protobuf) is decoded and kept; metrics and logs are accepted and dropped. Point a process at
/// it with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> = <see cref="Endpoint"/> and <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>.
/// </summary>
public sealed class OtlpTraceReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<OtlpSpan> _spans = [];
    private readonly Lock _gate = new();

    private OtlpTraceReceiver()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/v1/traces", ReceiveAsync);
        _app.MapPost("/v1/{signal}", (string signal) => Results.Ok());
    }

    public Uri Endpoint => new(_app.Urls.First());

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<OtlpSpan> Spans
    {
        get { lock (_gate) { return [.. _spans]; } }
    }

    public static async Task<OtlpTraceReceiver> StartAsync()
    {
        var receiver = new OtlpTraceReceiver();
        await receiver._app.StartAsync();
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        var spans = OtlpTraceDecoder.Decode(body.GetBuffer().AsSpan(0, (int)body.Length));
        lock (_gate)
        {
            _spans.AddRange(spans);
        }

        // An empty ExportTraceServiceResponse: everything was accepted.
        return Results.Bytes([], "application/x-protobuf");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
