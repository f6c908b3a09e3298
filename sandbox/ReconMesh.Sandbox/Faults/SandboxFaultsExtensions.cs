using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ReconMesh.Sandbox.Faults;

/// <summary>Wires fault injection into the sandbox.</summary>
public static class SandboxFaultsExtensions
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Registers the <see cref="SandboxFaultInjector"/>, with the profiles of <c>Sandbox:Faults:&lt;simulator&gt;</c>.</summary>
    public static IServiceCollection AddSandboxFaults(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new SandboxFaultInjector(configuration));
        return services;
    }

    /// <summary>Adds the fault middleware; call it before the simulators' endpoints are reached.</summary>
    public static IApplicationBuilder UseSandboxFaults(this IApplicationBuilder app) => app.UseMiddleware<SandboxFaultMiddleware>();

    /// <summary>
    /// <c>GET /admin/faults</c> (every simulator), and <c>GET|PUT|DELETE /admin/faults/{simulator}</c>: read the profile
    /// and the counts of injected faults, replace the profile, or clear it; <c>GET|POST|DELETE /admin/faults/{simulator}/answers</c>:
    /// the queued answers (<see cref="SandboxScriptedAnswer"/>), queue one more, or drop them.
    /// </summary>
    public static IEndpointRouteBuilder MapSandboxFaultsAdmin(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/admin/faults", (SandboxFaultInjector injector) =>
            Results.Json(injector.Simulators.Select(s => Describe(injector.Get(s)!)), Json));
        endpoints.MapGet("/admin/faults/{simulator}", (string simulator, SandboxFaultInjector injector) =>
            injector.Get(simulator) is { } state ? Results.Json(Describe(state), Json) : Unknown(simulator));
        endpoints.MapPut("/admin/faults/{simulator}", PutAsync);
        endpoints.MapGet("/admin/faults/{simulator}/answers", (string simulator, SandboxFaultInjector injector) =>
            injector.Scripted(simulator) is { } queued ? Results.Json(queued, Json) : Unknown(simulator));
        endpoints.MapPost("/admin/faults/{simulator}/answers", ScriptAsync);
        endpoints.MapDelete("/admin/faults/{simulator}/answers", (string simulator, SandboxFaultInjector injector) =>
            injector.ClearScripted(simulator) ? Results.NoContent() : Unknown(simulator));
        endpoints.MapDelete("/admin/faults/{simulator}", (string simulator, SandboxFaultInjector injector) =>
            injector.Clear(simulator) ? Results.NoContent() : Unknown(simulator));
        return endpoints;
    }

    private static async Task<IResult> ScriptAsync(string simulator, HttpContext context, SandboxFaultInjector injector)
    {
        if (injector.Scripted(simulator) is null)
        {
            return Unknown(simulator);
        }

        var (answer, refused) = await ReadAsync<SandboxScriptedAnswer>(context, "a JSON object {match, status, contentType, body, times}", a => a.Validate());
        if (answer is null)
        {
            return refused!;
        }

        injector.Script(simulator, answer);
        return Results.Json(injector.Scripted(simulator), Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> PutAsync(string simulator, HttpContext context, SandboxFaultInjector injector)
    {
        if (injector.Get(simulator) is null)
        {
            return Unknown(simulator);
        }

        var (profile, refused) = await ReadAsync<SandboxFaultProfile>(context, "a JSON object of fault settings", p => p.Validate());
        if (profile is null)
        {
            return refused!;
        }

        injector.Set(simulator, profile);
        return Results.Json(Describe(injector.Get(simulator)!), Json);
    }

    /// <summary>The body as a <typeparamref name="T"/> that <paramref name="validate"/> finds fine, or the 400 answer saying why not.</summary>
    private static async Task<(T? Value, IResult? Refused)> ReadAsync<T>(HttpContext context, string shape, Func<T, string?> validate)
        where T : class
    {
        string? problem;
        T? value = null;
        try
        {
            value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Json, context.RequestAborted);
            problem = value is null ? $"The body must be {shape}." : validate(value);
        }
        catch (JsonException ex)
        {
            problem = $"The body must be {shape}: {ex.Message}";
        }

        return problem is null ? (value, null) : (null, Results.Json(new { error = problem }, Json, statusCode: StatusCodes.Status400BadRequest));
    }

    private static IResult Unknown(string simulator) =>
        Results.Json(new { error = $"Unknown simulator '{simulator}'; known: quickbooks, connectwise, xero, platform." }, Json, statusCode: StatusCodes.Status404NotFound);

    /// <summary>The profile's fields, flat, with the simulator's name and the counts.</summary>
    private static object Describe(SandboxFaultState state) => new
    {
        simulator = state.Simulator,
        latencyMs = state.Profile.LatencyMs,
        errorRate = state.Profile.ErrorRate,
        timeoutAfterCommitRate = state.Profile.TimeoutAfterCommitRate,
        throttleBurstRate = state.Profile.ThrottleBurstRate,
        throttleBurstLength = state.Profile.ThrottleBurstLength,
        seed = state.Profile.Seed,
        counts = state.Counts,
    };
}
