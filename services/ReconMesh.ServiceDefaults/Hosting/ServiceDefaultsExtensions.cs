using Microsoft.Extensions.Configuration;
using System.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using ReconMesh.ServiceDefaults.RateLimiting;
using ReconMesh.ServiceDefaults.Security;
using ReconMesh.ServiceDefaults.Validation;

namespace ReconMesh.ServiceDefaults.Hosting;

/// <summary>The one place where what every ReconMesh process has in common is wired.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Name of the <see cref="ActivitySource"/> and meter ReconMesh's own code reports through.</summary>
    public const string TelemetrySourceName = "ReconMesh";

    /// <summary>Tag of the health checks that must pass before a process takes traffic.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Tag of the health checks whose failure means the process will not heal without a restart.</summary>
    public const string LiveTag = "live";

    /// <summary>Liveness probe: answers without a token.</summary>
    public const string LivePath = "/health/live";

    /// <summary>Readiness probe: answers without a token.</summary>
    public const string ReadyPath = "/health/ready";

    /// <summary>Where Prometheus scrapes every ReconMesh process.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// How long the host waits for its services (the bus first of all) to stop on SIGTERM: above MassTransit's StopTimeout
    /// (30 s), below the pods' terminationGracePeriodSeconds (45 s), so the process exits on its own before SIGKILL.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(40);

    /// <summary>
    /// Categories logged from Warning up unless configured: ASP.NET Core's per request, the HTTP client's per call, and
    /// the Marten daemon's per page relayed (the relay's health is the event-relay readiness check and its gauges).
    /// </summary>
    private static readonly string[] QuietCategories = ["Microsoft.AspNetCore", "System.Net.Http.HttpClient", "Microsoft.Extensions.Http", "Marten.Events.Daemon"];

    /// <summary>
    /// OpenTelemetry tracing and metrics (a Prometheus scrape endpoint always; OTLP export when
    /// OTEL_EXPORTER_OTLP_ENDPOINT is set), health checks, problem details for HTTP errors, and graceful shutdown.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        AddSettingsDirectory(builder.Configuration);
        builder.Services.AddProblemDetails();
        // Per-request, per-call and per-page logs are what traces and metrics are for; at Information they cost more CPU
        // than the work they describe (measured by ./run bench). A level configured for the category wins
        // (Logging:LogLevel:<category>): a filter added here would otherwise override it.
        foreach (var category in QuietCategories.Where(c => builder.Configuration[$"Logging:LogLevel:{c}"] is null))
        {
            builder.Logging.AddFilter(category, LogLevel.Warning);
        }

        // The factory's logging handlers, filtered out, would still wrap every integration call in two more async layers.
        builder.Services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());
        // Enums travel as names on every HTTP API ("Ach", not 1): readable, and stable if members are reordered.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddHealthChecks();
        builder.Services.AddInboundRateLimits();
        // Longer than MassTransit's StopTimeout (30 s, MessagingExtensions), so in-flight messages finish or are returned
        // to their queue before the host gives up on the bus.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceNamespace: "reconmesh"))
            .WithTracing(t => t
                .AddSource(TelemetrySourceName, "MassTransit", "Marten")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx =>
                    !ctx.Request.Path.StartsWithSegments("/health") && !ctx.Request.Path.StartsWithSegments(MetricsPath))
                .AddHttpClientInstrumentation())
            .WithMetrics(m => m
                .AddMeter(TelemetrySourceName, "MassTransit", "Marten")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>The setting naming a directory of secrets, one file per setting (a mounted Kubernetes Secret).</summary>
    public const string SettingsDirectoryKey = "ReconMesh:SettingsDirectory";

    /// <summary>
    /// Settings from a directory with one file per setting, its name the key with <c>__</c> for <c>:</c> (e.g.
    /// <c>ReconMesh__Secrets__acme-qbo__AccessToken</c>): how a Kubernetes Secret is mounted. Files are re-read when
    /// they change, so a secret added or rotated there is used without a restart.
    /// </summary>
    private static void AddSettingsDirectory(ConfigurationManager configuration)
    {
        if (configuration[SettingsDirectoryKey] is { Length: > 0 } directory)
        {
            if (!Directory.Exists(directory))
            {
                RequiredSettings.Fail($"{SettingsDirectoryKey} names {directory}, which is not a directory");
            }

            configuration.AddKeyPerFile(directory, optional: false, reloadOnChange: true);
        }
    }

    /// <summary>Liveness (the process answers, and nothing in it is stuck beyond healing) and readiness (its broker and database answer).</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSeparateDoors();
        var secured = app.UseApiSecurityIfAdded();
        app.UseTenantRouteBounds();
        app.UseInboundRateLimits();
        // Probes answer without a token (the kubelet has none, and they say nothing but "up" and "ready"), on the API's
        // port and the webhooks' alike, so a load balancer in front of either can check its backend.
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(LiveTag) }).AllowAnonymous().WithMetadata(new AnyDoorMetadata());
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous()
            .WithMetadata(new AnyDoorMetadata());
        var metrics = app.MapPrometheusScrapingEndpoint(MetricsPath);
        if (secured)
        {
            // Metrics name connections and tenants' volumes: a scraper gets a token with the metrics role (docs/security.md).
            metrics.RequireAuthorization(ApiSecurityExtensions.MetricsPolicy);
        }

        return app;
    }
}
