using System.Diagnostics;
using Marten;

namespace ReconMesh.ServiceDefaults.EventStore;

/// <summary>
/// Stamps the W3C trace context of the code that appends events onto them, so that <see cref="EventRelay"/>
/// can continue the same trace when it publishes them later, from another thread or another replica.
/// </summary>
internal sealed class TraceContextListener : DocumentSessionListenerBase
{
    public const string TraceParentHeader = "traceparent";

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (Activity.Current is { } activity && activity.IdFormat == ActivityIdFormat.W3C)
        {
            session.SetHeader(TraceParentHeader, activity.Id!);
        }

        return Task.CompletedTask;
    }
}
