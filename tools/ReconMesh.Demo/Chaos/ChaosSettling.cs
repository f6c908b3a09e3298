using System.Diagnostics;
using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.Demo.Chaos;

/// <summary>Watches the WritebackService until the mesh has settled after the faults, or a deadline passes.</summary>
internal static class ChaosSettling
{
    /// <summary>
    /// Settled: every payment of both tenants known to the WritebackService, none of them on its way any more, and every
    /// returned payment reversed, cancelled or waiting for a person. Observed every second, up to the deadline.
    /// </summary>
    public static async Task<bool> SettleAsync(WritebackClient writeback, IReadOnlyList<ChaosTenant> tenants, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (true)
        {
            var states = new List<string>();
            var settled = true;
            foreach (var tenant in tenants)
            {
                var now = await writeback.StatesAsync(tenant.Id);
                var returnsPending = 0;
                foreach (var returned in tenant.Ledger.Payments.Where(p => p.Returned))
                {
                    var state = (await writeback.PaymentAsync(tenant.Id, MeshIds.Payment(tenant.Id, returned.PaymentId)))?.State;
                    returnsPending += state is "Reversed" or "Cancelled" or "NeedsAttention" ? 0 : 1;
                }

                settled &= now.Payments >= tenant.Ledger.Payments.Count && now.OnTheirWay == 0 && returnsPending == 0;
                states.Add($"{tenant.Kind} {now.Payments}/{tenant.Ledger.Payments.Count} known, {now.OnTheirWay} on their way, " +
                    $"{returnsPending} returns pending ({string.Join(", ", now.States.Select(s => $"{s.Key} {s.Value}"))})");
            }

            var line = string.Join("; ", states);
            if (line != last)
            {
                Console.WriteLine($"[chaos] settling {clock.Elapsed.TotalSeconds,5:F0} s: {line}");
                last = line;
            }

            if (settled)
            {
                return true;
            }

            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}
