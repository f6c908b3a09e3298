using Microsoft.Extensions.Configuration;

namespace ReconMesh.ServiceDefaults.Hosting;

/// <summary>
/// Checks at start that the settings a service cannot run without are present, so that a missing setting is
/// reported by name before anything listens, rather than as an exception at first use.
/// </summary>
public static class RequiredSettings
{
    /// <summary>Exit code of a service that was started without its configuration.</summary>
    public const int MissingConfigurationExitCode = 2;

    public static string Get(IConfiguration configuration, string key, string hint)
    {
        var value = configuration[key];
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        var environmentName = key.Replace(":", "__", StringComparison.Ordinal);
        Fail($"the setting '{key}' is missing (environment variable {environmentName}). {hint}");
        return string.Empty; // not reached
    }

    /// <summary>Stops the process before it starts, with <paramref name="problem"/> on standard error and no stack trace.</summary>
    public static void Fail(string problem)
    {
        Console.Error.WriteLine($"Configuration error: {problem}");
        Environment.Exit(MissingConfigurationExitCode);
    }
}
