using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReconMesh.ServiceDefaults.Messaging;

/// <summary>
/// Holds a message in its slot while the database is away (<see cref="DatabaseOutage"/>): inside one of the endpoint's
/// retries, the rest of the pipe is tried again every <see cref="MessageRetryOptions.OutageInterval"/>, up to
/// <see cref="MessageRetryOptions.OutageLimit"/> times, before the failure goes on to the retries and, at their end, the
/// error queue. Nothing else can progress while the database is away, so holding the slot costs nothing; and since the
/// failure does not leave the retry meanwhile, no fault is announced for a message that succeeds once the database is back.
/// </summary>
public sealed partial class DatabaseOutageFilter<T>(IOptions<MessageRetryOptions> options, ILogger<DatabaseOutageFilter<T>> logger)
    : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        for (var held = 0; ; held++)
        {
            try
            {
                await next.Send(context);
                return;
            }
            catch (Exception ex) when (held < options.Value.OutageLimit && DatabaseOutage.Is(ex) && !context.CancellationToken.IsCancellationRequested)
            {
                LogHeld(logger, ex.GetBaseException().Message, held + 1);
            }

            await Task.Delay(options.Value.OutageInterval, context.CancellationToken); // the outage's pace, not a wait for a condition
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("databaseOutage");

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is away ({Reason}): the message is held in its slot and tried again (hold {Held})")]
    private static partial void LogHeld(ILogger logger, string reason, int held);
}
