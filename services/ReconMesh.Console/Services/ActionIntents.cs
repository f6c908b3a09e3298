using System.Collections.Concurrent;

namespace ReconMesh.OperatorConsole.Services;

/// <summary>
/// Each confirmation form carries a fresh intent id; an action is sent once per intent. A double click, a resent form or
/// a reload after posting reaches the same intent and is answered "already sent", with nothing sent again. This replica
/// remembers intents for an hour (at most <see cref="MaxRemembered"/>); across replicas the services' own answers hold
/// (a retried or dismissed payment is no longer waiting for a person: 409).
/// </summary>
public sealed class ActionIntents(TimeProvider clock)
{
    public const int MaxRemembered = 10_000;
    private static readonly TimeSpan Remembered = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _seen = new();

    /// <summary>True the first time an intent is seen; false for every repeat.</summary>
    public bool TryBegin(Guid intent)
    {
        var now = clock.GetUtcNow();
        if (_seen.Count >= MaxRemembered)
        {
            foreach (var (id, at) in _seen)
            {
                if (now - at > Remembered)
                {
                    _seen.TryRemove(id, out _);
                }
            }
        }

        return intent != Guid.Empty && _seen.Count < MaxRemembered * 2 && _seen.TryAdd(intent, now);
    }
}
