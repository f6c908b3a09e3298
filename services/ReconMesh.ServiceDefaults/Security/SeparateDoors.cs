using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ReconMesh.ServiceDefaults.Security;

/// <summary>The local ports of the webhook listener (<see cref="Hosting.WebhookListener"/>).</summary>
public sealed class WebhookDoor(IReadOnlySet<int> ports)
{
    public IReadOnlySet<int> Ports { get; } = ports;

    /// <summary>Whether the request came in through the webhook listener: the socket's own port, which no header can change.</summary>
    public bool Serves(HttpContext context) => Ports.Contains(context.Connection.LocalPort);
}

/// <summary>Endpoint metadata: answers on every listener (the health probes, for the kubelet and any load balancer).</summary>
public sealed class AnyDoorMetadata;

/// <summary>
/// Two doors: the webhook listener serves only the endpoints marked <see cref="ApiSecurityExtensions.AsSignedWebhook"/>,
/// the API's listener everything else; the health probes (<see cref="AnyDoorMetadata"/>) answer on both. Anything asked
/// of the wrong door is answered 404 before authentication, as if it were not there: a webhook cannot be reached from
/// the operators' network, and the API, <c>/metrics</c> included, cannot be reached through the ingress that exposes
/// the webhooks. A process without a webhook listener (WritebackService) answers no webhook at all.
/// </summary>
public static class SeparateDoors
{
    /// <summary>The title of the 404 a request at the wrong door gets.</summary>
    public const string NotFoundTitle = "Not found";

    /// <summary>After routing (the endpoint is known), before authentication.</summary>
    public static WebApplication UseSeparateDoors(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var door = app.Services.GetService<WebhookDoor>();
        app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            var atWebhookDoor = door?.Serves(context) == true;
            var isWebhook = endpoint?.Metadata.GetMetadata<SignedWebhookMetadata>() is not null;
            var anyDoor = endpoint?.Metadata.GetMetadata<AnyDoorMetadata>() is not null;
            if (anyDoor || (atWebhookDoor ? isWebhook : !isWebhook))
            {
                await next(context);
                return;
            }

            await Results.Problem(statusCode: StatusCodes.Status404NotFound, title: NotFoundTitle, detail: "There is nothing at this address.")
                .ExecuteAsync(context);
        });
        return app;
    }
}
