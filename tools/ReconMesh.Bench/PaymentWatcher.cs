using System.Collections.Concurrent;

namespace ReconMesh.Bench;

/// <summary>
/// Follows a company's Payments through the sandbox's admin API (<c>/bookings</c>, creation order) and records, for each
/// PaymentRefNum, the moment the sandbox created the Payment on the machine's monotonic clock (the same clock as the
/// bench's <see cref="System.Diagnostics.Stopwatch"/> timestamps). A payment's latency is that moment minus its publish
/// time: exact to the clock's resolution, however often this watcher looks. (The admin API is not a QuickBooks
/// request: it counts against no limit.)
/// </summary>
internal sealed class PaymentWatcher(SandboxApi sandbox, string realm, TimeSpan interval)
{
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private int _position;

    public int Count => _seen.Count;

    /// <summary>Bookings of a PaymentRefNum already booked: a payment in the books twice (0 when each is booked once).</summary>
    public int Duplicates => _duplicates;

    private int _duplicates;

    /// <summary>When each payment was booked, by PaymentRefNum (monotonic timestamps).</summary>
    public IReadOnlyDictionary<string, long> Seen => _seen;

    public int Polls { get; private set; }

    /// <summary>Moves past the company's bookings so far without recording them (another phase's payments).</summary>
    public async Task SkipPastAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (bookings, next) = await sandbox.BookingsAsync(realm, _position, cancellationToken);
            _position = next;
            if (bookings.Count < 1000)
            {
                return;
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var (bookings, next) = await sandbox.BookingsAsync(realm, _position, cancellationToken);
                Polls++;
                foreach (var (reference, bookedAt) in bookings)
                {
                    if (!_seen.TryAdd(reference, bookedAt))
                    {
                        _duplicates++;
                    }
                }

                _position = next;
                if (bookings.Count == 1000)
                {
                    continue;
                }

                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine($"[bench] watcher: {ex.Message}");
                await Task.Delay(interval, CancellationToken.None);
            }
        }
    }
}
