using System.Diagnostics;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// The platform's payouts while the run's payments flow: every <see cref="Every"/> each tenant paid out gets a payout
/// of the payments the platform took since the last one (less the fee), taking back the payments reversed after an
/// earlier payout. A payment planned to be taken back after its payout is refunded, charged back or returned by the
/// bank once the platform has heard that payout deposited. The last payout of a tenant comes once every such reversal
/// is done, and settles a reserve of payments held for it, so that it takes back what is left and is not negative.
/// </summary>
internal sealed class ChaosPayouts(SandboxClient sandbox, IReadOnlyList<ChaosPaymentPlan.Payment> plan)
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(15);

    /// <summary>How long after the last payment every tenant's last payout may take before the run gives up on it.</summary>
    private static readonly TimeSpan LastPayoutTimeout = TimeSpan.FromMinutes(8);

    /// <summary>Payments held back for each tenant's last payout.</summary>
    private const int Reserve = 20;

    private sealed class Account(ChaosTenant tenant, IEnumerable<ChaosPaymentPlan.Payment> planned)
    {
        public ChaosTenant Tenant { get; } = tenant;

        public HashSet<string> Reserve { get; } = [.. planned.Where(p => p.TakenBack is null).Take(ChaosPayouts.Reserve).Select(p => p.PaymentId)];

        public int AfterPayout { get; } = planned.Count(p => p.TakenBack?.AfterPayout == true);

        public List<(ChaosPaymentPlan.Payment Payment, decimal Fee)> Unpaid { get; } = [];

        /// <summary>Paid out, to be reversed once their payout is deposited: payout id of each.</summary>
        public Dictionary<ChaosPaymentPlan.Payment, string> AwaitingDeposit { get; } = [];

        public List<ChaosPaymentPlan.Payment> Reversed { get; } = [];

        public int ReversalsTakenBack { get; set; }

        public List<string> Payouts { get; } = [];

        public bool Finished { get; set; }
    }

    private readonly Dictionary<ChaosTenant, Account> _accounts = plan.Where(p => p.Tenant.PaysOut).GroupBy(p => p.Tenant)
        .ToDictionary(g => g.Key, g => new Account(g.Key, g));

    private readonly List<Task> _reversals = [];
    private volatile bool _payingDone;

    public List<string> Errors { get; } = [];

    /// <summary>The platform took this payment (its door confirmed it), for <paramref name="fee"/>.</summary>
    public void Taken(ChaosPaymentPlan.Payment payment, decimal fee)
    {
        if (_accounts.TryGetValue(payment.Tenant, out var account) && payment.TakenBack?.AfterPayout != false)
        {
            lock (account)
            {
                account.Unpaid.Add((payment, fee));
            }
        }
    }

    public void PayingDone() => _payingDone = true;

    public IReadOnlyDictionary<string, int> PayoutsByTenant => _accounts.ToDictionary(a => a.Key.Kind, a => a.Value.Payouts.Count);

    public int ReversedAfterPayout => _accounts.Values.Sum(a => a.Reversed.Count);

    /// <summary>Pays out until every tenant's last payout is sent (or the run is cancelled).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var next = Every;
        TimeSpan? paidAt = null;
        while (_accounts.Values.Any(a => !a.Finished))
        {
            paidAt ??= _payingDone ? clock.Elapsed : null;
            if (clock.Elapsed - paidAt > LastPayoutTimeout)
            {
                Errors.Add($"the last payouts were not sent within {LastPayoutTimeout.TotalMinutes} min of the last payment " +
                    $"(payouts awaiting deposit: {_accounts.Values.Sum(a => a.AwaitingDeposit.Count)})");
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            foreach (var account in _accounts.Values.Where(a => a.AwaitingDeposit.Count > 0))
            {
                await ReverseDepositedAsync(account, cancellationToken);
            }

            if (clock.Elapsed < next)
            {
                continue;
            }

            next = clock.Elapsed + Every;
            foreach (var account in _accounts.Values.Where(a => !a.Finished))
            {
                await PayOutAsync(account, cancellationToken);
            }
        }

        await Task.WhenAll(_reversals);
    }

    private async Task PayOutAsync(Account account, CancellationToken cancellationToken)
    {
        List<(ChaosPaymentPlan.Payment Payment, decimal Fee)> settling;
        List<ChaosPaymentPlan.Payment> takingBack;
        bool last;
        lock (account)
        {
            var reversalsToCome = account.AfterPayout - account.Reversed.Count;
            last = _payingDone && reversalsToCome == 0 && account.Unpaid.All(p => account.Reserve.Contains(p.Payment.PaymentId));
            settling = [.. account.Unpaid.Where(p => last || !account.Reserve.Contains(p.Payment.PaymentId))];
            takingBack = account.Reversed.Skip(account.ReversalsTakenBack).ToList();
        }

        var amount = settling.Sum(p => p.Payment.Amount - p.Fee) - takingBack.Sum(p => p.Amount);
        if (amount <= 0m || settling.Count == 0)
        {
            if (last)
            {
                account.Finished = true;
                if (takingBack.Count > 0)
                {
                    Errors.Add($"{account.Tenant.Kind}: the last payout could not take back {takingBack.Count} reversals ({amount})");
                }
            }

            return; // the platform pays out no negative amount: the next payout takes it back
        }

        var payoutId = $"po_chaos_{account.Tenant.Kind}_{account.Payouts.Count:D3}";
        await ChaosPayer.WithRetriesAsync($"payout {payoutId}", async () => await sandbox.PayOutAsync(account.Tenant.Id,
            [.. settling.Select(p => p.Payment.PaymentId)], [.. takingBack.Select(p => (p.PaymentId, KindOf(p.TakenBack!)))], payoutId), cancellationToken);
        lock (account)
        {
            account.Payouts.Add(payoutId);
            account.Unpaid.RemoveAll(p => settling.Contains(p));
            account.ReversalsTakenBack += takingBack.Count;
            foreach (var (payment, _) in settling.Where(p => p.Payment.TakenBack?.AfterPayout == true))
            {
                account.AwaitingDeposit[payment] = payoutId;
            }

            account.Finished = last;
        }

        Console.WriteLine($"[chaos] {account.Tenant.Kind}: payout {payoutId} of {amount} for {settling.Count} payments, taking back {takingBack.Count}");
    }

    /// <summary>The payments whose payout the platform has heard deposited are taken back, each a while later.</summary>
    private async Task ReverseDepositedAsync(Account account, CancellationToken cancellationToken)
    {
        var payouts = await ChaosPayer.WithRetriesAsync("payouts", async () => await sandbox.PlatformPayoutsAsync(account.Tenant.Id), cancellationToken);
        var deposited = payouts.Where(p => p.Outcome == "deposited").Select(p => p.Payout.GetProperty("payoutId").GetString()).ToHashSet(StringComparer.Ordinal);
        List<ChaosPaymentPlan.Payment> due;
        lock (account)
        {
            due = [.. account.AwaitingDeposit.Where(a => deposited.Contains(a.Value)).Select(a => a.Key)];
            foreach (var payment in due)
            {
                account.AwaitingDeposit.Remove(payment);
            }
        }

        _reversals.AddRange(due.Select(payment => Task.Run(async () =>
        {
            await Task.Delay(payment.TakenBack!.After, cancellationToken); // the reversal comes a while after the deposit
            await ChaosPayer.ReverseAsync(sandbox, payment, cancellationToken);
            lock (account)
            {
                account.Reversed.Add(payment);
            }
        }, cancellationToken)));
    }

    /// <summary>How the platform names a reversal in a payout.</summary>
    private static string KindOf(ChaosPaymentPlan.Reversal reversal) => reversal.Kind switch
    {
        ChaosPaymentPlan.Refunded => "Refunded",
        ChaosPaymentPlan.ChargedBack => "ChargedBack",
        _ => "Failed",
    };
}
