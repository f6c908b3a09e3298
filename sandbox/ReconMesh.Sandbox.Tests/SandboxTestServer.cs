using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReconMesh.Sandbox.Faults;

namespace ReconMesh.Sandbox.Tests;

/// <summary>Starts one simulator on a free loopback port as the sandbox wires it.</summary>
internal static class SandboxTestServer
{
    /// <summary>
    /// The simulator's services and endpoints over <paramref name="settings"/> (later layers win); with
    /// <paramref name="faults"/> also the fault middleware and its admin API; on <paramref name="time"/> if given.
    /// </summary>
    public static async Task<(WebApplication App, Uri Address)> StartAsync(
        IEnumerable<IReadOnlyDictionary<string, string?>?> settings, TimeProvider? time, bool faults,
        Action<IServiceCollection, IConfiguration> addSimulator, Action<WebApplication> mapSimulator)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        foreach (var layer in settings)
        {
            builder.Configuration.AddInMemoryCollection(layer ?? new Dictionary<string, string?>());
        }

        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        addSimulator(builder.Services, builder.Configuration);
        if (faults)
        {
            builder.Services.AddSandboxFaults(builder.Configuration);
        }

        var app = builder.Build();
        if (faults)
        {
            app.UseSandboxFaults();
            app.MapSandboxFaultsAdmin();
        }

        mapSimulator(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new Uri(address));
    }

    /// <summary>Calls a simulator's admin API and expects <paramref name="expected"/>, returning the JSON answer (an empty object for none).</summary>
    public static async Task<System.Text.Json.Nodes.JsonNode> AdminAsync(HttpClient http, HttpMethod method, string path,
        System.Text.Json.Nodes.JsonNode? body, System.Net.HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), text);
        return text.Length == 0 ? new System.Text.Json.Nodes.JsonObject() : System.Text.Json.Nodes.JsonNode.Parse(text)!;
    }
}
