using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ReconMesh.Sandbox.QuickBooks;

/// <summary>Where a company's webhook notifications go, and the verifier token that signs them.</summary>
public sealed record QboWebhookRegistration(Uri Url, string VerifierToken);

/// <summary>
/// QuickBooks webhooks: changes of Invoice, Payment, Customer and Deposit are queued as they happen and POSTed in
/// batches (every <see cref="QuickBooksSimulatorOptions.WebhookBatchMilliseconds"/>) in the legacy
/// <c>eventNotifications</c> shape, signed with <c>intuit-signature</c> = base64(HMAC-SHA256(body, verifier token)).
/// A failed POST is retried a few times with a doubling back-off, then dropped with a log line, as Intuit gives up
/// too. Nothing here runs under a company lock.
/// </summary>
internal sealed partial class QboWebhookDispatcher : SandboxWebhookService
{
    private readonly ConcurrentDictionary<string, QboWebhookRegistration> _registrations = new(StringComparer.Ordinal);
    private readonly Lock _pendingGate = new();
    private List<QboChange> _pending = [];
    private readonly QuickBooksSimulatorOptions _options;
    private readonly ILogger<QboWebhookDispatcher> _logger;
    private long _delivered;
    private long _dropped;

    public QboWebhookDispatcher(IOptions<QuickBooksSimulatorOptions> options, TimeProvider time, ILogger<QboWebhookDispatcher> logger)
        : base(time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        if (_options.WebhookBatchMilliseconds < 1 || _options.WebhookRetries < 0 || _options.WebhookRetryMilliseconds < 0)
        {
            throw new InvalidOperationException(
                $"{QuickBooksSimulatorOptions.SectionName}:WebhookBatchMilliseconds must be 1 or more, WebhookRetries and WebhookRetryMilliseconds 0 or more.");
        }

        _logger = logger;
    }

    /// <summary>Batches POSTed with a 2xx answer.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Batches given up after every retry failed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Register(string realmId, QboWebhookRegistration registration) => _registrations[realmId] = registration;

    public bool Unregister(string realmId) => _registrations.TryRemove(realmId, out _);

    public QboWebhookRegistration? Registration(string realmId) => _registrations.GetValueOrDefault(realmId);

    /// <summary>
    /// Queues the changes of companies that have a webhook; others are not notified (as with no app subscribed).
    /// The changes of one write are queued together, so they always travel in the same batch.
    /// </summary>
    public void Enqueue(IReadOnlyList<QboChange> changes)
    {
        var wanted = changes.Where(c => _registrations.ContainsKey(c.RealmId)).ToList();
        if (wanted.Count == 0)
        {
            return;
        }

        lock (_pendingGate)
        {
            _pending.AddRange(wanted);
        }
    }

    protected override TimeSpan Interval => TimeSpan.FromMilliseconds(_options.WebhookBatchMilliseconds);

    /// <summary>Everything queued so far becomes one POST per company.</summary>
    protected override void Flush(CancellationToken stoppingToken)
    {
        List<QboChange> batch;
        lock (_pendingGate)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            batch = _pending;
            _pending = [];
        }

        foreach (var company in batch.GroupBy(c => c.RealmId, StringComparer.Ordinal))
        {
            if (Registration(company.Key) is not { } registration)
            {
                continue;
            }

            var body = Payload(company.Key, [.. company]);
            var delivery = DeliverAsync(company.Key, registration, body, stoppingToken);
            Track(delivery);
        }
    }

    private static byte[] Payload(string realmId, IReadOnlyList<QboChange> changes)
    {
        var entities = new JsonArray();
        foreach (var change in changes)
        {
            entities.Add(new JsonObject
            {
                ["name"] = change.Entity,
                ["id"] = change.Id,
                ["operation"] = change.Operation.ToString(),
                ["lastUpdated"] = CompactOffset(change.LastUpdated),
            });
        }

        return QboJson.Serialize(new JsonObject
        {
            ["eventNotifications"] = new JsonArray(new JsonObject
            {
                ["realmId"] = realmId,
                ["dataChangeEvent"] = new JsonObject { ["entities"] = entities },
            }),
        });
    }

    /// <summary>Webhook times have the offset without a colon: <c>2015-10-05T14:42:19-0700</c>.</summary>
    private static string CompactOffset(string stamp) =>
        stamp.Length > 6 && stamp[^3] == ':' && stamp[^6] is '+' or '-' ? stamp[..^3] + stamp[^2..] : stamp;

    /// <summary>base64(HMAC-SHA256(key = verifier token as UTF-8, message = the exact body bytes)).</summary>
    public static string Sign(byte[] body, string verifierToken) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(verifierToken), body));

    private async Task DeliverAsync(string realmId, QboWebhookRegistration registration, byte[] body, CancellationToken cancellationToken)
    {
        var signature = Sign(body, registration.VerifierToken);
        var failure = await SandboxWebhookDelivery.PostAsync(Http, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, registration.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=utf-8");
            request.Headers.TryAddWithoutValidation("intuit-created-time", CompactOffset(QboClock.Stamp(Time.GetLocalNow())));
            request.Headers.TryAddWithoutValidation("intuit-t-id", Guid.NewGuid().ToString("D"));
            request.Headers.TryAddWithoutValidation("intuit-notification-schema-version", "0.1");
            request.Headers.TryAddWithoutValidation("intuit-signature", signature);
            request.Headers.TryAddWithoutValidation("User-Agent", "intuit_notification_server/0.1");
            request.Headers.Accept.ParseAdd("application/json");
            return request;
        }, _options.WebhookRetries, TimeSpan.FromMilliseconds(_options.WebhookRetryMilliseconds), Time,
            (reason, delay) => LogRetry(_logger, realmId, registration.Url, reason, delay.TotalMilliseconds), cancellationToken);
        if (failure is null)
        {
            Interlocked.Increment(ref _delivered);
        }
        else if (!cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _dropped);
            LogDropped(_logger, realmId, registration.Url, _options.WebhookRetries + 1, failure);
        }
    }

    [LoggerMessage(LogLevel.Warning, "QuickBooks webhook for realm {RealmId} to {Url} failed ({Failure}); retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string realmId, Uri url, string failure, double delayMs);

    [LoggerMessage(LogLevel.Error, "QuickBooks webhook for realm {RealmId} to {Url} dropped after {Attempts} attempts; last failure: {Failure}")]
    private static partial void LogDropped(ILogger logger, string realmId, Uri url, int attempts, string failure);
}
