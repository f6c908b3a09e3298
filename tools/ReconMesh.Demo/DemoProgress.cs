using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace ReconMesh.Demo;

/// <summary>
/// The live progress display: every two seconds, one line per tenant on stderr (plain lines, fit for CI logs), read
/// from the services' and the sandbox's HTTP APIs: invoices synced (the platform's view of what InvoiceIngest synced,
/// and the primary connection's status from InvoiceIngest), payments written back and reversed (WritebackService),
/// deposits recorded (the platform's view of its payouts) and the exceptions queue (WritebackService).
/// </summary>
internal sealed class DemoProgress(IReadOnlyList<DemoMonth> months, SandboxClient sandbox, WritebackClient writeback, HttpClient ingest, int invoices)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var last = cancellationToken.IsCancellationRequested; // once more after the months end, so the last lines show how they ended
            foreach (var month in months)
            {
                try
                {
                    Console.Error.WriteLine($"[demo {clock.Elapsed.TotalSeconds,4:F0} s] {await LineAsync(month, CancellationToken.None)}");
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
                {
                    Console.Error.WriteLine($"[demo {clock.Elapsed.TotalSeconds,4:F0} s] {month.Tenant.Label,-11} (no answer: {ex.Message})");
                }
            }

            if (last)
            {
                return;
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (TaskCanceledException)
            {
                // the months have ended: one last round
            }
        }
    }

    private async Task<string> LineAsync(DemoMonth month, CancellationToken cancellationToken)
    {
        var tenant = month.Tenant.Id;
        // The seeded invoices; the surcharge (RMS-) and reinstatement (RMR-) invoices the mesh itself creates in QuickBooks sync in too.
        var synced = (await sandbox.PlatformInvoicesAsync(tenant)).Count(i => !i.Number.StartsWith("RM", StringComparison.Ordinal));
        var connections = await ingest.GetFromJsonAsync<List<JsonElement>>($"/tenants/{Uri.EscapeDataString(tenant)}/connections", Json, cancellationToken) ?? [];
        var primary = connections.FirstOrDefault(c => c.GetProperty("kind").ToString() is "ConnectWisePsa" or "AutotaskPsa") is { ValueKind: JsonValueKind.Object } cw
            ? cw
            : connections.FirstOrDefault();
        var sync = primary.ValueKind == JsonValueKind.Object
            ? $"{primary.GetProperty("status")}, {(primary.GetProperty("initialSyncComplete").GetBoolean() ? "initial sync done" : "initial sync running")}"
            : "no connection yet";
        var states = await writeback.StatesAsync(tenant);
        var applied = states.States.GetValueOrDefault("Applied");
        var reversed = states.States.GetValueOrDefault("Reversed");
        var exceptions = (await writeback.ExceptionsAsync(tenant)).Count;
        var deposited = (await sandbox.PlatformPayoutsAsync(tenant)).Count(p => p.Outcome == "deposited");
        return $"{month.Tenant.Label,-11} invoices synced {synced,5}/{invoices} ({sync}) | payments written back {applied + reversed,5}/{month.Payments.Count} " +
            $"({reversed} reversed since, {states.OnTheirWay} on their way) | deposits {deposited,2}/{month.PayoutIds.Count} | exceptions {exceptions} | {month.Phase}";
    }
}
