using ReconMesh.InvoiceIngest.Sync;
using ReconMesh.ServiceDefaults.Messaging;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>
/// Production waits shortened for tests, so a test does not sit out a pause meant to spare an integration's rate limit.
/// A test that is about one of these waits sets its own value.
/// </summary>
public static class TestPace
{
    public static readonly IReadOnlyDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        // A woken sync pass waits 5 s after the last one in production; a test's webhook should be read at once.
        [$"{SyncPaceOptions.Section}:{nameof(SyncPaceOptions.WokenPassGap)}"] = "00:00:00.100",
        // The in-slot retries keep their number, at a tenth of production's pace (about 1.7 s in all instead of 17 s):
        // a refusal no retry can fix reaches its exception at once, and a race still gets every retry it needs.
        [$"{MessageRetryOptions.Section}:{nameof(MessageRetryOptions.MinInterval)}"] = "00:00:00.020",
        [$"{MessageRetryOptions.Section}:{nameof(MessageRetryOptions.MaxInterval)}"] = "00:00:01",
        [$"{MessageRetryOptions.Section}:{nameof(MessageRetryOptions.IntervalDelta)}"] = "00:00:00.050",
    };
}
