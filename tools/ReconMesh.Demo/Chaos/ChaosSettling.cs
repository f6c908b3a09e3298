using System.Diagnostics;
using ReconMesh.EventSourcing.Identity;

namespace ReconMesh.Demo.Chaos;

/// <summary>Watches the WritebackService until the mesh has settled after the faults, or a deadline passes.</summary>
internal static class ChaosSettling
{
    /// <summary>
    /// Settled: every payment of every tenant known to the WritebackService, none of them on its way any more, every
    /// payment taken back (before or after its payout) reversed, cancelled or waiting for a person, and every payout
    /// heard of by the platform (deposited, or needing attention). Observed every second, up to the deadline.
    /// </summary>
    public static async Task<bool> SettleAsync(WritebackClient writeback, SandboxClient sandbox, IReadOnlyList<ChaosTenant> tenants, TimeSpan timeout,
        CancellationToken cancellationToken)
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
                foreach (var returned in tenant.Ledger.Payments.Where(p => p.Returned || p.ReversedAfterPayout))
                {
                    var state = (await writeback.PaymentAsync(tenant.Id, MeshIds.Payment(tenant.Id, returned.PaymentId)))?.State;
                    returnsPending += state is "Reversed" or "Cancelled" or "NeedsAttention" ? 0 : 1;
                }

                var payoutsSent = tenant.PaysOut ? (await sandbox.PlatformPayoutsAsync(tenant.Id)).Count(p => p.Outcome == "sent") : 0;
                settled &= now.Payments >= tenant.Ledger.Payments.Count && now.OnTheirWay == 0 && returnsPending == 0 && payoutsSent == 0;
                states.Add($"{tenant.Kind} {now.Payments}/{tenant.Ledger.Payments.Count} known, {now.OnTheirWay} on their way, " +
                    $"{returnsPending} returns pending{(tenant.PaysOut ? $", {payoutsSent} payouts not deposited" : "")} " +
                    $"({string.Join(", ", now.States.Select(s => $"{s.Key} {s.Value}"))})");
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
