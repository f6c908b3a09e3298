using System.Net.Http.Json;
using System.Text.Json;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>The sandbox's fault injection (<c>/admin/faults/{simulator}</c>, docs/sandbox.md), for the span of one step of a test.</summary>
public static class SandboxFaults
{
    /// <summary>
    /// Runs <paramref name="step"/> while the simulator answers with <paramref name="profile"/>'s faults, then removes them
    /// whatever happened; answers the profile with the counts of the faults injected.
    /// </summary>
    public static async Task<JsonElement> DuringAsync(HttpClient sandbox, string simulator, object profile, Func<Task> step)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(step);
        (await sandbox.PutAsJsonAsync($"/admin/faults/{simulator}", profile)).EnsureSuccessStatusCode();
        JsonElement faults;
        try
        {
            await step();
        }
        finally
        {
            faults = await sandbox.GetFromJsonAsync<JsonElement>($"/admin/faults/{simulator}");
            (await sandbox.DeleteAsync($"/admin/faults/{simulator}")).EnsureSuccessStatusCode();
            TestContext.Progress.WriteLine($"faults injected: {faults}");
        }

        return faults;
    }
}
