using System.Diagnostics;
using Marten;

namespace ReconMesh.EventSourcing.Relay;

/// <summary>
/// Stamps the W3C trace context of the code that appends events onto them, so that <see cref="EventRelay"/>
/// can continue the same trace when it publishes them later, from another thread or another replica.
/// </summary>
internal sealed class TraceContextListener : DocumentSessionListenerBase
{
    public const string TraceParentHeader = "traceparent";

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (Activity.Current is not { IdFormat: ActivityIdFormat.W3C } activity)
        {
            return Task.CompletedTask;
        }

        // Stamped on each pending event: the session's own headers were copied onto the events when they were appended.
        foreach (var stream in session.PendingChanges.Streams())
        {
            foreach (var pending in stream.Events)
            {
                if (pending.GetHeader(TraceParentHeader) is null)
                {
                    pending.SetHeader(TraceParentHeader, activity.Id!);
                }
            }
        }

        return Task.CompletedTask;
    }
}
