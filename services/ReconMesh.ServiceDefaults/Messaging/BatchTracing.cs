using System.Diagnostics;
using MassTransit;
using ReconMesh.ServiceDefaults.Hosting;

namespace ReconMesh.ServiceDefaults.Messaging;

/// <summary>
/// A batch is consumed once for many messages, often from a timer, outside any one message's trace. This starts the
/// batch's span in the trace of its first message, linking the others, so what the batch appends (and the relay
/// publishes, and other services consume) stays in the trace of the payment or invoice that caused it.
/// </summary>
public static class BatchTracing
{
    private const string ActivityIdHeader = "MT-Activity-Id";
    private static readonly ActivitySource Source = new(ServiceDefaultsExtensions.TelemetrySourceName);

    public static Activity? StartBatchActivity<T>(this Batch<T> batch, string name)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(batch);
        var causes = batch.Select(m => ActivityContext.TryParse(m.Headers.Get<string>(ActivityIdHeader), null, out var c) ? c : default)
            .Where(c => c != default).ToList();
        var activity = Source.StartActivity(name, ActivityKind.Internal, causes.FirstOrDefault(), links: causes.Skip(1).Select(c => new ActivityLink(c)));
        activity?.SetTag("messaging.batch.message_count", batch.Length);
        return activity;
    }
}
