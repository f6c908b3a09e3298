using MassTransit;

namespace ReconMesh.ServiceDefaults.Messaging;

/// <summary>
/// Refuses one message of a <see cref="Batch{T}"/> the way a single delivery is refused when its consumer throws: a
/// <see cref="Fault{T}"/> is published and the message is moved to the endpoint's <c>_error</c> queue with the reason in
/// MassTransit's fault headers, while the rest of the batch is consumed. (Throwing from a batch consumer would fault
/// every message in it, the good ones too.)
/// </summary>
public static class BatchRefusal
{
    public static async Task RefuseAsync<T>(this ConsumeContext<T> context, Exception reason, Type consumerType)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(consumerType);
        await context.NotifyFaulted(TimeSpan.Zero, consumerType.Name, reason);
        var queue = context.ReceiveContext.InputAddress.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Last();
        await context.Forward(new Uri($"queue:{queue}_error"), Pipe.Execute<SendContext<T>>(send =>
        {
            send.Headers.Set(MessageHeaders.Reason, "fault");
            send.Headers.Set(MessageHeaders.FaultExceptionType, reason.GetType().FullName);
            send.Headers.Set(MessageHeaders.FaultMessage, reason.Message);
            send.Headers.Set(MessageHeaders.FaultConsumerType, consumerType.FullName);
            send.Headers.Set(MessageHeaders.FaultTimestamp, DateTime.UtcNow.ToString("O"));
        }));
    }
}
