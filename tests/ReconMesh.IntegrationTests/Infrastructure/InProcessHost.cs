using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;
using Microsoft.Extensions.DependencyInjection;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>
/// Starts a ReconMesh service exactly as its Program.cs composes it, on a loopback port of its own, with test
/// settings. Services talk to each other only through the real broker and over real HTTP.
/// </summary>
public static class InProcessHost
{
    public static async Task<WebApplication> StartAsync(
        Func<WebApplicationBuilder, WebApplicationBuilder> add,
        Func<WebApplication, WebApplication> map,
        IReadOnlyDictionary<string, string?> settings,
        ICollection<Activity>? exportSpansTo = null,
        ConcurrentQueue<string>? captureLogs = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // The tests' token issuer and a webhook listener first: a test may override them (e.g. to start a service without
        // its token issuer). A service without webhooks (WritebackService) does not listen there.
        builder.Configuration.AddInMemoryCollection(TestAuth.Settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [WebhookListener.UrlsKey] = $"http://127.0.0.1:{LoopbackPorts.Free()}" });
        builder.Configuration.AddInMemoryCollection(TestIntegrations.Settings);
        builder.Configuration.AddInMemoryCollection(TestPace.Settings);
        builder.Configuration.AddInMemoryCollection(settings);
        if (exportSpansTo is not null)
        {
            builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(exportSpansTo));
        }

        builder.Logging.AddProvider(new ProgressLoggerProvider(builder.Environment.ApplicationName));
        if (captureLogs is not null)
        {
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(new CapturingLoggerProvider(captureLogs));
        }

        add(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    /// <summary>The operator API's address: the one the host listens on that is not the webhook listener's.</summary>
    public static Uri Address(this WebApplication app) =>
        new(app.Urls.First(u => app.Services.GetService<WebhookDoor>()?.Ports.Contains(new Uri(u).Port) != true));

    /// <summary>The webhook listener's address (<see cref="WebhookListener.UrlsKey"/>).</summary>
    public static Uri WebhookAddress(this WebApplication app) => new(app.Configuration[WebhookListener.UrlsKey]!.Split(';')[0]);
}
