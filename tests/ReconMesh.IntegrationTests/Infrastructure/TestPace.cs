using ReconMesh.InvoiceIngest.Sync;

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
    };
}
