using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReconMesh.Sandbox.Xero;

/// <summary>
/// Xero webhooks for the app (every connected organisation): contact and invoice events are taken from the
/// organisations every <see cref="XeroSimulatorOptions.WebhookBatchMilliseconds"/> and POSTed together as
/// <c>{"events":[…],"firstEventSequence","lastEventSequence","entropy"}</c>, signed with <c>x-xero-signature</c> =
/// base64(HMAC-SHA256(body, webhook key)). An endpoint gets events only after it passed "intent to receive": a
/// correctly signed empty payload answered 200 and a wrongly signed one answered 401. A failed POST is retried a few
/// times, then dropped. Nothing here runs under an organisation's lock, except taking the events.
/// </summary>
internal sealed partial class XeroWebhookDispatcher : SandboxWebhookService
{
    private readonly XeroSimulator _simulator;
    private readonly XeroSimulatorOptions _options;
    private readonly ILogger<XeroWebhookDispatcher> _logger;
    private XeroWebhookSubscription? _subscription;
    private long _sequence;
    private long _delivered;
    private long _dropped;

    public XeroWebhookDispatcher(XeroSimulator simulator, IOptions<XeroSimulatorOptions> options, TimeProvider time, ILogger<XeroWebhookDispatcher> logger)
        : base(time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (_options.WebhookBatchMilliseconds < 1 || _options.WebhookRetries < 0 || _options.WebhookRetryMilliseconds < 0
            || string.IsNullOrWhiteSpace(_options.WebhookKey))
        {
            throw new InvalidOperationException(
                $"{XeroSimulatorOptions.SectionName}:WebhookBatchMilliseconds must be 1 or more, WebhookRetries and WebhookRetryMilliseconds 0 or more, WebhookKey set.");
        }

        _simulator = simulator;
        _logger = logger;
    }

    public XeroWebhookSubscription? Subscription => Volatile.Read(ref _subscription);

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Dropped => Interlocked.Read(ref _dropped);

    public string DefaultKey => _options.WebhookKey;

    /// <summary>base64(HMAC-SHA256(key = the webhook key as UTF-8, message = the exact body bytes)).</summary>
    public static string Sign(byte[] body, string key) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), body));

    /// <summary>Sets the app's webhook and runs "intent to receive" against it; events flow only when it passed.</summary>
    public async Task<XeroWebhookSubscription> SubscribeAsync(Uri url, string key, CancellationToken cancellationToken)
    {
        var probe = Payload([], 0, 0);
        var valid = await ProbeAsync(url, probe, Sign(probe, key), cancellationToken);
        var invalid = await ProbeAsync(url, probe, Sign(probe, key + "-wrong"), cancellationToken);
        var passed = valid == 200 && invalid == 401;
        var detail = passed ? null : $"Intent to receive failed: a correctly signed payload got {Describe(valid)} (expected 200), a wrongly signed one {Describe(invalid)} (expected 401).";
        var subscription = new XeroWebhookSubscription(url, key, passed ? "OK" : "INTENT_TO_RECEIVE_REQUIRED", detail);
        _simulator.TakeEvents();
        Volatile.Write(ref _subscription, subscription);
        return subscription;
    }

    public bool Unsubscribe() => Interlocked.Exchange(ref _subscription, null) is not null;

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(_options.WebhookBatchMilliseconds);

    /// <summary>Everything that happened since the last tick becomes one POST (events of nobody's webhook are dropped).</summary>
    protected override void Flush(CancellationToken stoppingToken)
    {
        var events = _simulator.TakeEvents();
        if (events.Count == 0 || Subscription is not { Status: "OK" } subscription)
        {
            return;
        }

        var last = Interlocked.Add(ref _sequence, events.Count);
        var body = Payload(events, last - events.Count + 1, last);
        var delivery = DeliverAsync(subscription, body, stoppingToken);
        Track(delivery);
    }

    private byte[] Payload(IReadOnlyList<XeroWebhookEvent> events, long first, long last) => XeroWire.Serialize(new JsonObject
    {
        ["events"] = new JsonArray([.. events.Select(e => (JsonNode)new JsonObject
        {
            ["resourceUrl"] = $"{_options.WebhookResourceBaseUrl}{(e.Category == "INVOICE" ? "Invoices" : "Contacts")}/{e.ResourceId:D}",
            ["resourceId"] = e.ResourceId.ToString("D"),
            ["eventDateUtc"] = e.EventDateUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture),
            ["eventType"] = e.Type,
            ["eventCategory"] = e.Category,
            ["tenantId"] = e.TenantId.ToString("D"),
            ["tenantType"] = "ORGANISATION",
        })]),
        ["firstEventSequence"] = first,
        ["lastEventSequence"] = last,
        ["entropy"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(10)),
    });

    private async Task DeliverAsync(XeroWebhookSubscription subscription, byte[] body, CancellationToken cancellationToken)
    {
        var signature = Sign(body, subscription.Key);
        var failure = await SandboxWebhookDelivery.PostAsync(Http, () => Request(subscription.Url, body, signature),
            _options.WebhookRetries, TimeSpan.FromMilliseconds(_options.WebhookRetryMilliseconds), Time,
            (reason, delay) => LogRetry(_logger, subscription.Url, reason, delay.TotalMilliseconds), cancellationToken);
        if (failure is null)
        {
            Interlocked.Increment(ref _delivered);
        }
        else if (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _dropped);
            LogDropped(_logger, subscription.Url, _options.WebhookRetries + 1, failure);
        }
    }

    private async Task<int?> ProbeAsync(Uri url, byte[] body, string signature, CancellationToken cancellationToken)
    {
        try
        {
            using var request = Request(url, body, signature);
            using var response = await Http.SendAsync(request, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static HttpRequestMessage Request(Uri url, byte[] body, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
        request.Headers.TryAddWithoutValidation("x-xero-signature", signature);
        return request;
    }

    private static string Describe(int? status) => status is { } code ? code.ToString(CultureInfo.InvariantCulture) : "no answer";

    [LoggerMessage(LogLevel.Warning, "Xero webhook to {Url} failed ({Failure}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, Uri url, string failure, double delayMs);

    [LoggerMessage(LogLevel.Error, "Xero webhook to {Url} dropped after {Attempts} attempts; last failure: {Failure}")]
    private static partial void LogDropped(ILogger logger, Uri url, int attempts, string failure);
}
