using System.ComponentModel.DataAnnotations;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;
using ReconMesh.Domain.Writeback;
using ReconMesh.WritebackService.AntiEntropy;
using ReconMesh.Contracts.Invoices;
using ReconMesh.WritebackService.Invoices;

namespace ReconMesh.WritebackService.Reconciliation;

/// <summary>How long a payment waits for invoices the mesh has not synced yet (<c>ReconMesh:Writeback:InvoiceWait</c>).</summary>
public sealed class InvoiceWaitOptions
{
    public const string Section = "ReconMesh:Writeback:InvoiceWait";

    /// <summary>
    /// After this long without the invoice, the payment becomes an exceptions entry (<c>invoice-not-synced</c>).
    /// Longer than an incremental sync cycle; 30 minutes by default.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How often waiting payments are looked at, for invoices that arrived while a write was being decided and for
    /// waits that ran out. An invoice's arrival resumes its payments at once; this is the safety net.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Watches payments WaitingForInvoice: resumes those whose invoices have all been synced, and records, in the
/// payment's writeback stream, that the wait ran out for those whose invoices did not arrive in time; the relay
/// tells the saga, which then needs attention. Safe with several replicas: the resume is idempotent in the saga,
/// and the record is appended at an expected version, so only one replica's lands.
/// It is also the scheduled disagreement check (ADR 10, <see cref="DisagreementCheckOptions"/>): once every
/// <see cref="DisagreementCheckOptions.Interval"/>, a payment that has waited longer than
/// <see cref="DisagreementCheckOptions.WaitingLongerThan"/> asks InvoiceIngest again for the invoices it still misses
/// (<see cref="InvoicesAwaited"/>, as the write did when the wait began): an announcement, or that first request, may
/// have been lost on the bus. A repeat is harmless, so every replica asks.
/// </summary>
public sealed partial class InvoiceWaitMonitor(
    IDocumentStore store, IBus bus, IOptions<InvoiceWaitOptions> options, IOptions<DisagreementCheckOptions> disagreement, TimeProvider clock,
    ILogger<InvoiceWaitMonitor> logger)
    : BackgroundService
{
    private DateTimeOffset _lastAsked = DateTimeOffset.MinValue;

    public const string ReasonCode = "invoice-not-synced";
    private const int BatchSize = 500;

    public static readonly string WaitingState = ReconciliationState.WaitingForInvoice;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogCheckFailed(logger, ex);
            }
        }
    }

    /// <summary>One look at every waiting payment (in batches).</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        var waiting = await query.Query<PaymentReconciliation>()
            .Where(s => s.CurrentState == WaitingState)
            .OrderBy(s => s.WaitingSince)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (waiting.Count == 0)
        {
            return;
        }

        var invoiceIds = waiting.SelectMany(s => s.WaitingForInvoiceIds).Distinct().ToArray();
        var known = (await query.LoadManyAsync<KnownInvoice>(cancellationToken, invoiceIds)).Select(i => i.Id).ToHashSet();
        var now = clock.GetUtcNow();
        var ask = disagreement.Value;
        var askAgain = ask.Interval > TimeSpan.Zero && now - _lastAsked >= ask.Interval;
        var asked = 0;
        foreach (var saga in waiting)
        {
            var missing = saga.WaitingForInvoiceIds.Where(id => !known.Contains(id)).ToList();
            if (missing.Count == 0)
            {
                await bus.Publish(new AwaitedInvoicesSynced(saga.CorrelationId), cancellationToken);
            }
            else if (saga.WaitingSince is { } since && now - since >= options.Value.Timeout)
            {
                await GiveUpAsync(saga, missing, now, cancellationToken);
            }
            else if (askAgain && saga.WaitingSince is { } waitingSince && now - waitingSince >= ask.WaitingLongerThan)
            {
                await Invoices.AnsweredInvoicesConsumer.AskAsync(bus,
                    new InvoicesAwaited(saga.CorrelationId, saga.PaymentId, saga.TenantId, missing, waitingSince), cancellationToken);
                asked++;
            }
        }

        if (askAgain)
        {
            _lastAsked = now;
            if (asked > 0)
            {
                LogAsked(logger, asked);
            }
        }
    }

    private async Task GiveUpAsync(PaymentReconciliation saga, List<Guid> missing, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var record = await session.LoadAsync<WritebackRecord>(saga.CorrelationId, cancellationToken);
        if (record is { Written: true } or { Cancelled: true } or { AwaitingPerson: true })
        {
            return;
        }

        session.Events.Append(saga.CorrelationId, (record?.Version ?? 0) + 1, new WritebackNeedsAttention(
            saga.CorrelationId, saga.PaymentId, saga.TenantId, null, ReasonCode,
            $"ReconMesh has not synced invoice(s) {string.Join(", ", missing)} from any integration of tenant {saga.TenantId} " +
            $"within {options.Value.Timeout} of the payment; check the connection's sync, then retry.", now));
        try
        {
            await session.SaveChangesAsync(cancellationToken);
            LogGaveUp(logger, saga.CorrelationId, missing.Count);
        }
        catch (JasperFx.ConcurrencyException)
        {
            // Another replica recorded it, or the write moved on meanwhile: the saga hears of whichever landed.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Disagreement check: asked InvoiceIngest again for the invoices of {Payments} waiting payment(s)")]
    private static partial void LogAsked(ILogger logger, int payments);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking payments waiting for invoices failed; trying again at the next interval")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {MeshPaymentId} waited too long for {Missing} invoice(s); it needs attention")]
    private static partial void LogGaveUp(ILogger logger, Guid meshPaymentId, int missing);
}
