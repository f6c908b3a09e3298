using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ReconMesh.ServiceDefaults.Hosting;

/// <summary>
/// The numbers an operator watches, in one place, on the meter <c>ReconMesh</c> (scraped at <c>/metrics</c>, and
/// exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set). Names below are OpenTelemetry names; Prometheus shows
/// them with underscores, a <c>_total</c> suffix on counters and the unit on the others (e.g.
/// <c>reconmesh_payments_accepted_total</c>, <c>reconmesh_integration_request_duration_seconds</c>).
/// Tags are bounded sets (message type, integration kind, status, reason code, saga state, connection id).
/// </summary>
public static class ReconMeshMetrics
{
    /// <summary>The meter's name, the same as the activity source's.</summary>
    public const string MeterName = ServiceDefaultsExtensions.TelemetrySourceName;

    /// <summary>How long a saga-state count is reused before the store is asked again.</summary>
    public static readonly TimeSpan SagaStateCacheTime = TimeSpan.FromSeconds(15);

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<(Guid Connection, string Integration), DateTimeOffset> LastSync = new();

    // PaymentEvents: what the platform reported, by outcome (tag "message": PaymentProcessed | PaymentFailed).

    /// <summary>Platform reports accepted and recorded in the payment's stream.</summary>
    public static readonly Counter<long> PaymentsAccepted =
        Meter.CreateCounter<long>("reconmesh.payments.accepted", "{payment}", "Platform payment reports accepted (tag message)");

    /// <summary>Platform reports already received (acknowledged, nothing changed).</summary>
    public static readonly Counter<long> PaymentsDuplicate =
        Meter.CreateCounter<long>("reconmesh.payments.duplicates", "{payment}", "Platform payment reports that were duplicates (tag message)");

    /// <summary>Platform reports rejected with reasons (an exceptions entry; the bus message goes to the error queue).</summary>
    public static readonly Counter<long> PaymentsRejected =
        Meter.CreateCounter<long>("reconmesh.payments.rejected", "{payment}", "Platform payment reports rejected (tag message)");

    // WritebackService: effects on the integrations, counted as the event relay publishes them (at least once).

    /// <summary>Payments whose status was written to an integration (tags integration, status).</summary>
    public static readonly Counter<long> PaymentsWrittenBack =
        Meter.CreateCounter<long>("reconmesh.payments.written_back", "{payment}", "Payments written back to an integration (tags integration, status)");

    /// <summary>Writebacks that need a person (tag reason).</summary>
    public static readonly Counter<long> PaymentsNeedingAttention =
        Meter.CreateCounter<long>("reconmesh.payments.needing_attention", "{payment}", "Writebacks that need a person (tag reason)");

    /// <summary>Written payments reverted in the integration after the platform reported a failure.</summary>
    public static readonly Counter<long> PaymentsReversed =
        Meter.CreateCounter<long>("reconmesh.payments.reversed", "{payment}", "Written payments reverted in the integration");

    /// <summary>Writes and reversals sent to wait aside for a transient cause to pass (tags cause, stage), counted as each waits.</summary>
    public static readonly Counter<long> WritebackWaits =
        Meter.CreateCounter<long>("reconmesh.writeback.waits", "{wait}", "Writes and reversals waiting aside for a transient cause (tags cause, stage)");

    // Integrations: every HTTP attempt against an integration's API (tag integration: the rate-limit key's kind, e.g. "qbo").

    /// <summary>HTTP attempts against an integration (tags integration, method, status: the code, or "error").</summary>
    public static readonly Counter<long> IntegrationRequests =
        Meter.CreateCounter<long>("reconmesh.integration.requests", "{request}", "HTTP attempts against an integration (tags integration, method, status)");

    /// <summary>Attempts the integration answered with 429 Too Many Requests.</summary>
    public static readonly Counter<long> IntegrationThrottled =
        Meter.CreateCounter<long>("reconmesh.integration.throttled", "{request}", "Attempts an integration answered with 429 (tag integration)");

    /// <summary>Duration of one attempt, rate-limiter wait excluded.</summary>
    public static readonly Histogram<double> IntegrationRequestDuration =
        Meter.CreateHistogram("reconmesh.integration.request.duration", "s", "Duration of an HTTP attempt against an integration (tags integration, method)",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    // InvoiceIngest.

    /// <summary>Invoice and billing-contact changes appended by one completed sync pass of a connection.</summary>
    public static readonly Histogram<long> SyncChanges =
        Meter.CreateHistogram("reconmesh.sync.changes", "{change}", "Invoice and billing-contact changes appended per completed sync pass (tag integration)",
            tags: null, advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [0, 1, 5, 10, 50, 100, 500, 1000, 5000] });

    /// <summary>Seconds since each connection's last completed sync pass (in this process).</summary>
    public static readonly ObservableGauge<double> SyncLag =
        Meter.CreateObservableGauge("reconmesh.sync.lag", ObserveSyncLag, "s",
            "Seconds since the connection's last completed sync pass in this process (tags connection, integration)");

    /// <summary>Records a completed sync pass: its change count, and "now" as the connection's last sync.</summary>
    public static void SyncCompleted(Guid connection, string integration, int changes)
    {
        SyncChanges.Record(changes, new KeyValuePair<string, object?>("integration", integration));
        LastSync[(connection, integration)] = DateTimeOffset.UtcNow;
    }

    /// <summary>
    /// The gauge <c>reconmesh.sagas</c> (tags saga, state): instances per state, from <paramref name="countByState"/>, asked at
    /// most every <see cref="SagaStateCacheTime"/>; in between, and while a refresh runs, the last counts are reported.
    /// The meter comes from the host's <see cref="IMeterFactory"/>, so the gauge goes away with the host.
    /// </summary>
    public static ObservableGauge<long> ObserveSagaStates(
        IMeterFactory meters, string saga, Func<CancellationToken, Task<IReadOnlyDictionary<string, long>>> countByState, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var cache = new SagaStateCache(saga, countByState, clock);
        return meters.Create(MeterName).CreateObservableGauge("reconmesh.sagas", cache.Observe, "{saga}",
            "Saga instances by current state (tags saga, state; refreshed at most every 15 s)");
    }

    private static IEnumerable<Measurement<double>> ObserveSyncLag()
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var ((connection, integration), at) in LastSync)
        {
            yield return new Measurement<double>((now - at).TotalSeconds,
                new KeyValuePair<string, object?>("connection", connection.ToString()),
                new KeyValuePair<string, object?>("integration", integration));
        }
    }

    private sealed class SagaStateCache(string saga, Func<CancellationToken, Task<IReadOnlyDictionary<string, long>>> countByState, TimeProvider clock)
    {
        private static readonly TimeSpan FirstAnswerWait = TimeSpan.FromSeconds(5);
        private readonly Lock _gate = new();
        private IReadOnlyDictionary<string, long> _counts = new Dictionary<string, long>();
        private DateTimeOffset _askedAt = DateTimeOffset.MinValue;
        private Task? _refresh;
        private bool _answered;

        public IEnumerable<Measurement<long>> Observe()
        {
            Task? first = null;
            lock (_gate)
            {
                if (_refresh is null && clock.GetUtcNow() - _askedAt >= SagaStateCacheTime)
                {
                    _askedAt = clock.GetUtcNow();
                    _refresh = Task.Run(RefreshAsync);
                }

                if (!_answered)
                {
                    first = _refresh;
                }
            }

            // Only until the first answer: a scrape waits briefly rather than show nothing; later scrapes never wait.
            first?.Wait(FirstAnswerWait);
            IReadOnlyDictionary<string, long> counts;
            lock (_gate)
            {
                counts = _counts;
            }

            return counts.Select(c => new Measurement<long>(c.Value,
                new KeyValuePair<string, object?>("saga", saga), new KeyValuePair<string, object?>("state", c.Key)));
        }

        private async Task RefreshAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                var fresh = await countByState(timeout.Token);
                lock (_gate)
                {
                    // A state that emptied is reported as 0 rather than disappearing.
                    var merged = _counts.Keys.ToDictionary(k => k, _ => 0L);
                    foreach (var (state, count) in fresh)
                    {
                        merged[state] = count;
                    }

                    _counts = merged;
                    _answered = true;
                }
            }
#pragma warning disable CA1031 // a failed count must not break the scrape: the last counts stay, the next scrape asks again
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            finally
            {
                lock (_gate)
                {
                    _refresh = null;
                }
            }
        }
    }
}
