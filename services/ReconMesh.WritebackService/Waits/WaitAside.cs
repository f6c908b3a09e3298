using System.Globalization;
using MassTransit;

namespace ReconMesh.WritebackService.Waits;

/// <summary>
/// Sends a message to wait aside in a wait queue of the endpoint it came from (<see cref="WaitQueues"/>, ADR 0008): it
/// comes back to that endpoint after <c>delay</c> as the same message (ids and headers kept, the broker's own x- headers
/// aside), with the number of waits so far and the time of the first failure, holding no consumer slot meanwhile.
/// </summary>
public sealed class WaitAside(WaitQueues queues)
{
    /// <summary>How many times the message has waited.</summary>
    public const string WaitsHeader = "ReconMesh-Transient-Waits";

    /// <summary>When the message first could not be handled (ISO 8601).</summary>
    public const string FirstFailureHeader = "ReconMesh-Transient-First-Failure";

    /// <summary>How many times the message has already waited, and since when it could not be handled (or <paramref name="now"/>).</summary>
    public static (int Waits, DateTimeOffset Since) SoFar(ConsumeContext context, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        var waits = int.TryParse(context.Headers.Get<string>(WaitsHeader), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var since = DateTimeOffset.TryParse(context.Headers.Get<string>(FirstFailureHeader), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind,
            out var first) ? first : now;
        return (waits, since);
    }

    /// <summary>Makes sure the wait queues exist (before anything is recorded of a wait the broker might not take).</summary>
    public Task ReadyAsync(CancellationToken cancellationToken) => queues.EnsureDeclaredAsync(cancellationToken);

    /// <summary>Sends the message to wait <paramref name="delay"/> (a tier the wait queues were declared for).</summary>
    public async Task SendAsync<T>(ConsumeContext<T> context, TimeSpan delay, int wait, DateTimeOffset since)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        await queues.EnsureDeclaredAsync(context.CancellationToken);
        var endpoint = await context.GetSendEndpoint(new Uri($"exchange:{WaitQueues.Name(EndpointOf(context), delay)}"));
        await endpoint.Send(context.Message, Pipe.Execute<SendContext<T>>(send => Keep(context, send, wait, since)), context.CancellationToken);
    }

    private static void Keep<T>(ConsumeContext<T> context, SendContext<T> send, int wait, DateTimeOffset since)
        where T : class
    {
        send.MessageId = context.MessageId;
        send.CorrelationId = context.CorrelationId;
        send.ConversationId = context.ConversationId;
        send.InitiatorId = context.InitiatorId;
        send.RequestId = context.RequestId;
        send.SourceAddress = context.SourceAddress;
        send.ResponseAddress = context.ResponseAddress;
        send.FaultAddress = context.FaultAddress;
        foreach (var (key, value) in context.Headers.GetAll())
        {
            if (!key.StartsWith("x-", StringComparison.OrdinalIgnoreCase) && key is not (WaitsHeader or FirstFailureHeader))
            {
                send.Headers.Set(key, value);
            }
        }

        send.Headers.Set(WaitsHeader, wait.ToString(CultureInfo.InvariantCulture));
        send.Headers.Set(FirstFailureHeader, since.ToString("O", CultureInfo.InvariantCulture));
    }

    private static string EndpointOf(ConsumeContext context) => context.ReceiveContext.InputAddress.AbsolutePath.Split('/')[^1];
}
