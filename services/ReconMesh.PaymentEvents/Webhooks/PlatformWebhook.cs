using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReconMesh.Contracts.Payments;
using ReconMesh.PaymentEvents.Payments;
using ReconMesh.ServiceDefaults.Hosting;
using ReconMesh.ServiceDefaults.Security;

namespace ReconMesh.PaymentEvents.Webhooks;

/// <summary>
/// The platform's events over HTTP, for platforms that do not publish to RabbitMQ. A request is signed with the
/// shared secret: header <c>ReconMesh-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c>.
/// A body that is not application/json gets 415, one over <see cref="MaxBodyBytes"/> 413; a missing, forged or stale signature gets 401; a replay of a valid request is answered as a duplicate and changes
/// nothing; an invalid event gets 422 with the reasons (and an exceptions entry); nothing else is lost.
/// </summary>
public static class PlatformWebhook
{
    public const string Path = "/webhooks/platform";
    public const string SignatureHeader = "ReconMesh-Signature";
    public const string SecretSetting = "ReconMesh:Platform:WebhookSecret";
    public const string ToleranceSetting = "ReconMesh:Platform:WebhookToleranceSeconds";
    public const int MaxBodyBytes = 256 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The webhook body: an event type and its data (see <see cref="PlatformEventTypes"/>; camelCase JSON).</summary>
    public sealed record Envelope(string Type, string? Id, JsonElement Data);

    public static IEndpointRouteBuilder MapPlatformWebhook(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, ReceiveAsync).WithTags("Webhooks").AsSignedWebhook();
        return endpoints;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, IConfiguration configuration, PaymentIntake intake, TimeProvider clock)
    {
        var secret = configuration[SecretSetting];
        if (string.IsNullOrEmpty(secret))
        {
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The platform webhook is not configured",
                detail: $"Set {SecretSetting}.");
        }

        var (body, refused) = await WebhookRequests.ReadJsonAsync(request, MaxBodyBytes, "A platform event");
        if (body is null)
        {
            return refused!;
        }

        var tolerance = TimeSpan.FromSeconds(int.TryParse(configuration[ToleranceSetting], CultureInfo.InvariantCulture, out var s) ? s : 300);
        var check = Verify(body, request.Headers[SignatureHeader].ToString(), secret, clock.GetUtcNow(), tolerance);
        if (check is not null)
        {
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Signature refused", detail: check);
        }

        Envelope envelope;
        object message;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(body, Json) ?? throw new JsonException("The body is empty.");
            message = PlatformEventTypes.Read(envelope.Type, envelope.Data, Json);
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed event", detail: ex.Message);
        }

        var sourceId = SourceId(body);
        var outcome = await intake.AcceptAnyAsync(message, sourceId, request.HttpContext.RequestAborted);
        return outcome switch
        {
            PaymentIntake.Outcome.Accepted a => Results.Ok(new { status = "accepted", meshPaymentId = a.MeshPaymentId }),
            PaymentIntake.Outcome.Duplicate d => Results.Ok(new { status = "duplicate", meshPaymentId = d.MeshPaymentId }),
            PaymentIntake.Outcome.Rejected r => Results.ValidationProblem(
                new Dictionary<string, string[]> { ["data"] = [.. r.Reasons] }, statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The event was not accepted"),
            _ => throw new InvalidOperationException("unreachable"),
        };
    }

    /// <summary>Null when the signature is valid and fresh; otherwise why not.</summary>
    public static string? Verify(byte[] body, string? header, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return $"The {SignatureHeader} header is missing.";
        }

        long? timestamp = null;
        var candidates = new List<string>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = part.Split('=', 2);
            if (pair.Length != 2)
            {
                continue;
            }

            if (pair[0] == "t" && long.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (pair[0] == "v1")
            {
                candidates.Add(pair[1]);
            }
        }

        if (timestamp is null || candidates.Count == 0)
        {
            return $"The {SignatureHeader} header must be t=<unix seconds>,v1=<hex signature>.";
        }

        var signedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(timestamp.Value, 0, 253402300799));
        if ((now - signedAt).Duration() > tolerance)
        {
            return $"The signature's timestamp is more than {tolerance.TotalSeconds:F0} s away from now (stale or replayed).";
        }

        var expected = Sign(body, timestamp.Value, secret);
        foreach (var candidate in candidates)
        {
            if (candidate.Length == expected.Length * 2)
            {
                try
                {
                    if (CryptographicOperations.FixedTimeEquals(Convert.FromHexString(candidate), expected))
                    {
                        return null;
                    }
                }
                catch (FormatException)
                {
                    // not hex: not a match
                }
            }
        }

        return "The signature does not match the body.";
    }

    /// <summary>HMAC-SHA256 over "timestamp.body" with the shared secret; what the platform computes to sign.</summary>
    public static byte[] Sign(byte[] body, long timestamp, string secret)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message, prefix.Length);
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }

    private static Guid SourceId(byte[] body) => new(SHA256.HashData(body).AsSpan(0, 16));
}
