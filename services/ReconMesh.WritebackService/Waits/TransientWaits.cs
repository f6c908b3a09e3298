using Marten;
using MassTransit;
using Microsoft.Extensions.Options;
using ReconMesh.Domain.Writeback;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.WritebackService.Waits;

/// <summary>
/// What a command is about (a payment, or a payout for <see cref="WritebackDecider.DepositStage"/>) and its stage
/// (<see cref="WritebackDecider.WriteStage"/>, <see cref="WritebackDecider.ReverseStage"/>, <see cref="WritebackDecider.DepositStage"/>).
/// </summary>
public sealed record WaitingCommand(Guid MeshPaymentId, string PaymentId, string TenantId, string Stage)
{
    /// <summary>
    /// The wait is told in the payment's story. A payout's is not: its stream is started by its outcome, and the deposit
    /// consumer takes a started stream for a payout already handled. It shows in the logs and the metric.
    /// </summary>
    public bool InPaymentStory => Stage != WritebackDecider.DepositStage;
}

/// <summary>
/// Runs a write or a reversal so that a transient failure (see <see cref="TransientCause"/>) is not a person's work:
/// after the short retry in the consumer's slot, the command waits aside in a wait queue of its endpoint
/// (<see cref="WaitQueues"/>) for the tier <see cref="WritebackDecider.DecideWait"/> chose, the wait recorded in the
/// payment's writeback stream and counted; it comes back to the endpoint as the same message (ids and headers kept,
/// plus the number of waits and the time of the first failure). Once the horizon has passed, or for any other failure,
/// the failure goes on as before: retried in the slot, then faulted into the exceptions queue with its cause.
/// </summary>
public sealed partial class TransientWaits(IDocumentStore store, WaitAside aside, IOptions<TransientWaitOptions> options, TimeProvider clock,
    ILogger<TransientWaits> logger)
{
    public async Task RunAsync<T>(ConsumeContext<T> context, WaitingCommand command, Func<Task> work)
        where T : class
    {
        try
        {
            await work();
        }
        catch (Exception ex) when (TransientCause.Of(ex, context.CancellationToken) is { } cause
                                   && context.GetRetryAttempt() >= options.Value.TransientInSlotRetries)
        {
            if (!await TryWaitAsync(context, command, cause, ex))
            {
                throw;
            }
        }
    }

    private async Task<bool> TryWaitAsync<T>(ConsumeContext<T> context, WaitingCommand command, string cause, Exception failure)
        where T : class
    {
        var now = clock.GetUtcNow();
        var (waits, since) = WaitAside.SoFar(context, now);
        var detail = $"{failure.GetType().Name}: {failure.Message}";
        var step = WritebackDecider.DecideWait(command.MeshPaymentId, command.PaymentId, command.TenantId, command.Stage,
            new TransientFailure(cause, detail, waits, since), options.Value.Policy(), now);
        if (step is not TransientStep.Wait wait)
        {
            LogGivingUp(logger, command.MeshPaymentId, cause, (step as TransientStep.GiveUp)?.Why);
            return false;
        }

        try
        {
            await aside.ReadyAsync(context.CancellationToken);
            if (command.InPaymentStory)
            {
                await RecordAsync(wait.Event, context.CancellationToken);
            }

            await aside.SendAsync(context, wait.Delay, wait.Event.Wait, wait.Event.FirstFailedAt);
        }
        catch (Exception ex) when (!context.CancellationToken.IsCancellationRequested)
        {
            // The broker cannot take the wait: the command goes on as before (retried in the slot, or redelivered).
            LogCouldNotWait(logger, ex, command.MeshPaymentId);
            return false;
        }

        ReconMeshMetrics.WritebackWaits.Add(1, new KeyValuePair<string, object?>("cause", cause),
            new KeyValuePair<string, object?>("stage", wait.Event.Stage));
        LogWaiting(logger, command.MeshPaymentId, wait.Event.Stage, cause, wait.Delay, wait.Event.Wait);
        return true;
    }

    /// <summary>
    /// The wait in the payment's story. Best effort: the wait matters more than its record, and a database that is down
    /// (itself a transient cause) cannot take it; a stream that moved meanwhile means another copy acted, which the
    /// command finds when it comes back.
    /// </summary>
    private async Task RecordAsync(WritebackWaiting waiting, CancellationToken cancellationToken)
    {
        try
        {
            await using var session = store.LightweightSession();
            var record = await session.LoadAsync<WritebackRecord>(waiting.MeshPaymentId, cancellationToken);
            session.Events.Append(waiting.MeshPaymentId, (record?.Version ?? 0) + 1, waiting);
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotRecorded(logger, ex, waiting.MeshPaymentId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment {MeshPaymentId}: the {Stage} failed ({Cause}); trying again in {Delay} (wait {Wait})")]
    private static partial void LogWaiting(ILogger logger, Guid meshPaymentId, string stage, string cause, TimeSpan delay, int wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {MeshPaymentId}: still failing ({Cause}) at the horizon; it goes to the exceptions queue. {Why}")]
    private static partial void LogGivingUp(ILogger logger, Guid meshPaymentId, string cause, string? why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {MeshPaymentId}: the command could not be sent to wait; it is retried in the slot")]
    private static partial void LogCouldNotWait(ILogger logger, Exception exception, Guid meshPaymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Payment {MeshPaymentId}: the wait could not be recorded in its story; it waits all the same")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, Guid meshPaymentId);
}
