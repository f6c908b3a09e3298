using Marten;
using MassTransit;
using Microsoft.Extensions.Options;
using ReconMesh.Contracts.Invoices;
using ReconMesh.WritebackService.Reconciliation;

namespace ReconMesh.WritebackService.AntiEntropy;

/// <summary>
/// Anti-entropy on a timer (ADR 10): finds where WritebackService and InvoiceIngest disagree without reading InvoiceIngest's
/// tables. A payment still <c>WaitingForInvoice</c> after <see cref="DisagreementCheckOptions.WaitingLongerThan"/> names
/// invoices WritebackService has not heard of; if InvoiceIngest holds them, the two disagree (an announcement, or the
/// payment's own request for it, was lost on the bus). So the check asks again, as the write did when the wait began
/// (<see cref="InvoicesAwaited"/>): InvoiceIngest announces each one it holds again with its first message id, or wakes the
/// sync for one it does not hold yet. What agrees costs nothing; a repeat is harmless (consumers keep the newest revision).
/// Every replica runs it: each one's request is a repeat of the other's.
/// </summary>
public sealed partial class DisagreementCheck(IDocumentStore store, IBus bus, IOptions<DisagreementCheckOptions> options, TimeProvider clock,
    ILogger<DisagreementCheck> logger) : BackgroundService
{
    /// <summary>Waiting payments asked about per run, the longest-waiting first; the next run takes the rest.</summary>
    public const int PerRun = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var asked = await AskForWhatWaitsTooLongAsync(stoppingToken);
                if (asked > 0)
                {
                    LogAsked(logger, asked);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, ex);
            }
        }
    }

    /// <summary>One run: asks InvoiceIngest again for the invoices of every payment waiting too long; returns how many payments.</summary>
    public async Task<int> AskForWhatWaitsTooLongAsync(CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - options.Value.WaitingLongerThan;
        await using var query = store.QuerySession();
        var waiting = await query.Query<PaymentReconciliation>()
            .Where(s => s.CurrentState == ReconciliationState.WaitingForInvoice && s.WaitingSince != null && s.WaitingSince <= before)
            .OrderBy(s => s.WaitingSince).Take(PerRun).ToListAsync(cancellationToken);
        foreach (var payment in waiting.Where(p => p.WaitingForInvoiceIds.Count > 0))
        {
            await bus.Publish(new InvoicesAwaited(payment.CorrelationId, payment.PaymentId, payment.TenantId, payment.WaitingForInvoiceIds,
                payment.WaitingSince!.Value), cancellationToken);
        }

        return waiting.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Disagreement check: asked InvoiceIngest again for the invoices of {Payments} waiting payment(s)")]
    private static partial void LogAsked(ILogger logger, int payments);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disagreement check failed; trying again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
