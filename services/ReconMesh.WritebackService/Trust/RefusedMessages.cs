using System.Text.Json;
using Marten;
using MassTransit;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.WritebackService.Trust;

/// <summary>
/// Records a message whose claims do not hold as a <see cref="RefusedMessage"/>, in a transaction of its own so the entry
/// stays whatever happens next. The caller then faults the message into its endpoint's <c>_error</c> queue.
/// </summary>
public sealed class RefusedMessages(IDocumentStore store, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = WireJson.Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public async Task RecordAsync<T>(ConsumeContext<T> context, Refusal refusal)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(refusal);
        await using var session = store.LightweightSession();
        session.Store(new RefusedMessage
        {
            Id = context.MessageId ?? NewId.NextGuid(),
            MessageType = typeof(T).Name,
            Queue = context.ReceiveContext.InputAddress.AbsolutePath.TrimStart('/'),
            ClaimedTenantId = refusal.ClaimedTenantId,
            TargetTenantId = refusal.TargetTenantId == refusal.ClaimedTenantId ? null : refusal.TargetTenantId,
            Reason = refusal.Reason,
            Body = JsonSerializer.Serialize(context.Message, Json),
            RefusedAt = clock.GetUtcNow(),
        });
        await session.SaveChangesAsync(context.CancellationToken);
    }
}
