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
    /// <summary>Why <paramref name="delivery"/> cannot be used (problem details), or null: asked before anything is recorded.</summary>
    public IResult? Refusal(string? delivery) => delivery?.ToLowerInvariant() switch
    {
        null or "bus" or "json" => null,
        "webhook" when webhook.Current is null => Results.ValidationProblem(new Dictionary<string, string[]>
        {
            ["delivery"] = ["No webhook target is set: PUT /admin/platform/webhook {url, secret} first."],
        }),
        "webhook" => null,
        _ => Results.ValidationProblem(new Dictionary<string, string[]> { ["delivery"] = ["bus (the default), webhook or json"] }),
    };

    /// <summary>
    /// Sends <paramref name="message"/> through the door; by webhook the answer names it <paramref name="answerName"/>
    /// beside the receiver's status and body.
    /// </summary>
    public async Task<IResult> DeliverAsync<T>(string type, T message, string? delivery, CancellationToken cancellationToken, string answerName = "event")
        where T : class
    {
        if (Refusal(delivery) is { } refused)
        {
            return refused;
        }

        switch (delivery?.ToLowerInvariant())
        {
            case "json":
                await json.PublishAsync(type, message, cancellationToken);
                return Results.Ok(message);
            case "webhook":
                var (status, body) = await webhook.SendAsync(type, message, cancellationToken);
                return Results.Ok(new Dictionary<string, object> { [answerName] = message, ["webhook"] = new { status, body } });
            default:
                await bus.Publish(message, cancellationToken);
                return Results.Ok(message);
        }
    }
}
