using System.Diagnostics;
using System.Text.Json;

namespace ReconMesh.Demo.Chaos;

/// <summary>Makes the planned payments (and their later returns, refunds and chargebacks) on the platform, riding out the mesh's faults.</summary>
internal static class ChaosPayer
{
    /// <summary>How long the platform goes on reporting one payment: longer than the PostgreSQL outage the webhook door waits out.</summary>
    private static readonly TimeSpan PlatformRetryFor = TimeSpan.FromMinutes(5);

    /// <summary>The platform's back-off between reports of one payment: 1 s, doubling up to 8 s.</summary>
    private static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(8);

    /// <summary>How many requests the platform has on their way to the sandbox at once.</summary>
    private const int CallsAtOnce = 64;

    /// <summary>
    /// The platform takes the payments at a steady pace, each through its door and reported again with the same payment
    /// id (after 1 s, doubling up to 8 s) until the door took it: the broker confirmed it (bus, JSON exchange), or the webhook answered 200
    /// (a replica killed, frozen or without its database refuses, does not answer, or answers 5xx). A payment waiting
    /// for its door holds up no other: the next ones start at their moment (as a real platform queues its deliveries).
    /// Payments taken back before their payout are refunded, charged back or returned a little later, on the bus; the
    /// others are handed to <paramref name="payouts"/>. Returns how many times a payment had to be reported again, per door.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>> PayAsync(SandboxClient sandbox, IReadOnlyList<ChaosPaymentPlan.Payment> plan, TimeSpan window,
        Stopwatch clock, ChaosPayouts payouts, CancellationToken cancellationToken)
    {
        var again = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(ChaosPaymentPlan.Doors.ToDictionary(d => d, _ => 0));
        using var calls = new SemaphoreSlim(CallsAtOnce);
        async Task<T> Limited<T>(Func<Task<T>> call)
        {
            await calls.WaitAsync(cancellationToken);
            try
            {
                return await call();
            }
            finally
            {
                calls.Release();
            }
        }

        var paying = new List<Task>(plan.Count);
        for (var i = 0; i < plan.Count; i++)
        {
            var due = window * i / plan.Count - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken); // the payment's moment in a steady pace
            }

            var payment = plan[i];
            paying.Add(Task.Run(async () =>
            {
                var processed = await WithRetriesAsync($"payment {payment.PaymentId} ({payment.Door})", () => Limited(() => ReportAsync(sandbox, payment)),
                    cancellationToken, () => again.AddOrUpdate(payment.Door, 1, (_, n) => n + 1));
                lock (payment.Tenant.Ledger)
                {
                    payment.Tenant.Ledger.Add(0, payment.ExternalInvoiceId, processed);
                    payment.Tenant.Ledger.Payments[^1].Returned = payment.TakenBack is { AfterPayout: false };
                    payment.Tenant.Ledger.Payments[^1].ReversedAfterPayout = payment.TakenBack is { AfterPayout: true };
                }

                payouts.Taken(payment, processed.GetProperty("fee").GetDecimal());
                if (payment.TakenBack is { AfterPayout: false } reversal)
                {
                    await Task.Delay(reversal.After, cancellationToken); // the return, refund or chargeback comes a while after the payment
                    await Limited(async () =>
                    {
                        await ReverseAsync(sandbox, payment, cancellationToken);
                        return true;
                    });
                }
            }, cancellationToken));
        }

        try
        {
            await Task.WhenAll(paying);
        }
        finally
        {
            payouts.PayingDone();
        }

        return again;
    }

    /// <summary>
    /// The payment taken back as planned (refunded, charged back or returned by the bank), through the payment's own door,
    /// reported until the door took it.
    /// </summary>
    public static Task ReverseAsync(SandboxClient sandbox, ChaosPaymentPlan.Payment payment, CancellationToken cancellationToken) =>
        WithRetriesAsync($"{payment.TakenBack!.Kind} of {payment.PaymentId} ({payment.Door})", async () =>
        {
            var answer = await (payment.TakenBack.Kind switch
            {
                ChaosPaymentPlan.Refunded => sandbox.RefundAsync(payment.Tenant.Id, payment.PaymentId, payment.Door),
                ChaosPaymentPlan.ChargedBack => sandbox.ChargeBackAsync(payment.Tenant.Id, payment.PaymentId, payment.Door),
                _ => sandbox.FailAsync(payment.Tenant.Id, payment.PaymentId, payment.Door),
            });
            return payment.Door == "webhook" ? Taken(answer, "event", $"the {payment.TakenBack.Kind} of {payment.PaymentId}") : answer;
        }, cancellationToken);

    /// <summary>The payment through its door; the payment as the platform reported it, or an exception when the door did not take it.</summary>
    private static async Task<JsonElement> ReportAsync(SandboxClient sandbox, ChaosPaymentPlan.Payment payment)
    {
        var answer = await sandbox.PayAsync(payment.Tenant.Id, payment.Method, [(payment.InvoiceId, payment.Amount)], payment.PaymentId,
            delivery: payment.Door);
        if (payment.Door != "webhook")
        {
            return answer;
        }

        return Taken(answer, "payment", payment.PaymentId);
    }

    /// <summary>What the webhook door answered: the event it took (<paramref name="taken"/> of the answer), or an exception when it did not.</summary>
    private static JsonElement Taken(JsonElement answer, string taken, string what)
    {
        var webhook = answer.GetProperty("webhook");
        var status = webhook.GetProperty("status").GetInt32();
        var refused = $"the webhook answered {status} to {what}: {webhook.GetProperty("body").GetString()}";
        return status switch
        {
            200 => answer.GetProperty(taken),
            >= 400 and < 500 and not (408 or 429) => throw new InvalidOperationException(refused), // sending it again would not help
            _ => throw new HttpRequestException(refused),
        };
    }

    /// <summary>A call of the platform's, made again (after 1 s, doubling up to 8 s) until it succeeds, for up to five minutes.</summary>
    public static async Task<T> WithRetriesAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken, Action? again = null)
    {
        var clock = Stopwatch.StartNew();
        var wait = FirstWait;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested
                                       && clock.Elapsed < PlatformRetryFor)
            {
                again?.Invoke();
                await Task.Delay(wait, cancellationToken); // the platform's back-off before it reports the payment again
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestWait.Ticks));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                throw new InvalidOperationException($"the platform did not take {what} in {PlatformRetryFor.TotalMinutes} min: {ex.Message}", ex);
            }
        }
    }
}
