using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.UnitTests.Telemetry;

/// <summary>
/// The service defaults log the Marten daemon's pages, ASP.NET Core's requests and the HTTP client's calls from Warning
/// up, but a level an operator configures for one of those categories wins (a filter added in code would override it).
/// </summary>
public sealed class Quiet_categories_can_be_turned_up
{
    [Test]
    public void Should_log_the_relays_pages_only_when_configured()
    {
        Assert.Multiple(() =>
        {
            Assert.That(InformationEnabled("Marten.Events.Daemon.Coordination.ProjectionCoordinator", []), Is.False);
            Assert.That(InformationEnabled("Marten.Events.Daemon.Coordination.ProjectionCoordinator",
                ["--Logging:LogLevel:Marten.Events.Daemon=Information"]), Is.True);
            Assert.That(InformationEnabled("Microsoft.AspNetCore.Hosting.Diagnostics", ["--Logging:LogLevel:Marten.Events.Daemon=Information"]),
                Is.False, "the other quiet categories stay quiet");
            Assert.That(InformationEnabled("ReconMesh.WritebackService.Payouts", []), Is.True, "the services' own categories log Information");
        });
    }

    private static bool InformationEnabled(string category, string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.AddServiceDefaults("test-service");
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<ILoggerFactory>().CreateLogger(category).IsEnabled(LogLevel.Information);
    }
}
