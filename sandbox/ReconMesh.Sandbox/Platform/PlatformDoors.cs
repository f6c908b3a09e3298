using MassTransit;

namespace ReconMesh.Sandbox.Platform;

/// <summary>
/// The platform's three doors into the mesh for what happens to a payment after it was taken (an ACH return, a refund,
/// a chargeback), as for the payment itself: the bus (the contract published by MassTransit, the default), the signed
/// webhook (<c>webhook</c>: the answer holds the event and the receiver's status and body, so the caller sees a refusal
/// and can report it again), or the webhook's envelope as plain JSON on the platform's exchange (<c>json</c>).
/// </summary>
public sealed class PlatformDoors(IPublishEndpoint bus, PlatformWebhookSender webhook, PlatformJsonPublisher json)
{
    public async Task<IResult> DeliverAsync<T>(string type, T message, string? delivery, CancellationToken cancellationToken)
        where T : class
    {
        switch (delivery?.ToLowerInvariant())
        {
            case null or "bus":
                await bus.Publish(message, cancellationToken);
                return Results.Ok(message);
            case "json":
                await json.PublishAsync(type, message, cancellationToken);
                return Results.Ok(message);
            case "webhook" when webhook.Current is null:
                return Results.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["delivery"] = ["No webhook target is set: PUT /admin/platform/webhook {url, secret} first."],
                });
            case "webhook":
                var (status, body) = await webhook.SendAsync(type, message, cancellationToken);
                return Results.Ok(new { @event = message, webhook = new { status, body } });
            default:
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["delivery"] = ["bus (the default), webhook or json"] });
        }
    }
}
