using System.Diagnostics;

namespace ReconMesh.Demo.Chaos;

/// <summary>Makes the planned payments (and the bank's returns) on the platform, riding out its restarts.</summary>
internal static class ChaosPayer
{
    private static readonly TimeSpan PlatformRetryFor = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The platform takes the payments at a steady pace (four at a time), each retried with the same payment id until
    /// the platform has reported it (its bus may be restarting); returned ones fail on the platform a little later.
    /// </summary>
    public static async Task PayAsync(SandboxClient sandbox, IReadOnlyList<ChaosPaymentPlan.Payment> plan, TimeSpan window, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var returns = new List<Task>();
        await Parallel.ForEachAsync(Enumerable.Range(0, plan.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var due = window * i / plan.Count - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, token); // the payment's moment in a steady pace
                }

                var payment = plan[i];
                var processed = await WithRetriesAsync($"payment {payment.PaymentId}",
                    () => sandbox.PayAsync(payment.Tenant.Id, payment.Method, [(payment.InvoiceId, payment.Amount)], payment.PaymentId), token);
                lock (payment.Tenant.Ledger)
                {
                    payment.Tenant.Ledger.Add(0, payment.ExternalInvoiceId, processed);
                    if (payment.ReturnAfter is not null)
                    {
                        payment.Tenant.Ledger.Payments[^1].Returned = true;
                    }
                }

                if (payment.ReturnAfter is { } after)
                {
                    lock (returns)
                    {
                        returns.Add(Task.Run(async () =>
                        {
                            await Task.Delay(after, token); // the bank's return arrives a while after the payment
                            await WithRetriesAsync($"return of {payment.PaymentId}", async () =>
                            {
                                await sandbox.FailAsync(payment.Tenant.Id, payment.PaymentId);
                                return true;
                            }, token);
                        }, token));
                    }
                }
            });
        await Task.WhenAll(returns);
    }

    private static async Task<T> WithRetriesAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested
                                       && clock.Elapsed < PlatformRetryFor)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                throw new InvalidOperationException($"the platform did not take {what} in {PlatformRetryFor.TotalMinutes} min: {ex.Message}", ex);
            }
        }
    }
}
