using System.Diagnostics;
using System.Net;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// Another application connected to the same QuickBooks company (a reporting tool, the partner's PSA sync): it reads
/// the company at a steady pace with its own copy of the token, spending a part of the company's request budget that
/// ReconMesh's limiter knows nothing of. QuickBooks counts both against one limit, so the mesh meets 429s it did not
/// cause and must wait them out.
/// </summary>
internal sealed class ChaosNeighbour(SandboxClient sandbox, string realm, string token, int requestsPerMinute)
{
    private int _requests;
    private int _throttled;
    private int _failed;

    public object Summary => new { realm, requestsPerMinute, requests = _requests, throttled = _throttled, failed = _failed };

    /// <summary>Reads the company every 60/<c>requestsPerMinute</c> seconds for <paramref name="duration"/>.</summary>
    public async Task RunAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        using var quickBooks = sandbox.QuickBooks(realm, token);
        var clock = Stopwatch.StartNew();
        var every = TimeSpan.FromMinutes(1) / requestsPerMinute;
        for (var n = 0; clock.Elapsed < duration; n++)
        {
            var due = every * n - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken); // the neighbour's steady pace
            }

            try
            {
                using var response = await quickBooks.GetAsync("query?query=select%20*%20from%20Customer%20maxresults%2010", cancellationToken);
                _requests++;
                _throttled += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
                _failed += response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.TooManyRequests ? 0 : 1;
            }
            catch (HttpRequestException)
            {
                _failed++;
            }
        }
    }
}
