using ReconMesh.Sandbox.Autotask;
using ReconMesh.Sandbox.ConnectWise;
using ReconMesh.Sandbox.Faults;
using ReconMesh.Sandbox.Platform;
using ReconMesh.Sandbox.QuickBooks;
using ReconMesh.Sandbox.Xero;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.Sandbox;

/// <summary>
/// The sandbox: local simulators of the integrations' APIs and of the payment platform, so the mesh, its tests and
/// its benchmarks run on one machine, and connector teams can develop against them.
/// </summary>
public static class SandboxHost
{
    public const string Name = "sandbox";

    public static WebApplicationBuilder AddSandbox(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults(Name);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddQuickBooksSimulator(builder.Configuration);
        builder.Services.AddConnectWiseSimulator(builder.Configuration);
        builder.Services.AddXeroSimulator(builder.Configuration);
        builder.Services.AddAutotaskSimulator(builder.Configuration);
        builder.Services.AddSandboxFaults(builder.Configuration);
        builder.Services.AddSingleton<PlatformCatalog>();
        builder.Services.AddHttpClient(PlatformWebhookSender.HttpClientName);
        builder.Services.AddSingleton<PlatformWebhookSender>();
        // The platform simulator talks over RabbitMQ; without a broker the API simulators still run on their own.
        if (PlatformEnabled(builder.Configuration))
        {
            builder.AddMessaging(PlatformSimulator.AddPlatformConsumers);
            builder.Services.AddSingleton<PlatformJsonPublisher>();
            builder.Services.AddScoped<PlatformDoors>();
        }

        return builder;
    }

    public static WebApplication MapSandbox(this WebApplication app)
    {
        app.UseSandboxFaults();
        app.MapDefaultEndpoints();
        app.MapSandboxFaultsAdmin();
        app.MapQuickBooksSimulator();
        app.MapConnectWiseSimulator();
        app.MapXeroSimulator();
        app.MapXeroConnectWiseMirror();
        app.MapAutotaskSimulator();
        app.MapAutotaskXeroMirror();
        app.MapAutotaskQuickBooksMirror();
        if (PlatformEnabled(app.Configuration))
        {
            app.MapPlatformSimulator();
        }

        return app;
    }

    private static bool PlatformEnabled(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[SettingNames.RabbitMq]);
}
