using MassTransit;
using MassTransit.Middleware.Rescue;
using MassTransit.Transports;

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
        if (context.ReceiveContext.TryGetPayload(out IErrorTransport? errors))
        {
            // The endpoint's own error transport, as a throwing consumer's message takes: it declares the _error queue as the
            // endpoint declares its queues (a quorum queue's type among them). A `queue:` address would declare it with no
            // arguments, which an existing quorum queue refuses (PRECONDITION_FAILED), failing the whole batch.
            await errors.Send(new RescueExceptionReceiveContext(context.ReceiveContext, reason));
            return;
        }

        throw new InvalidOperationException($"The endpoint {context.ReceiveContext.InputAddress} has no error transport to move a refused message to.",
            reason);
    }
}
