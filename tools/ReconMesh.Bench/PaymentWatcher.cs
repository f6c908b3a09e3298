using System.Collections.Concurrent;
using System.Diagnostics;

namespace ReconMesh.Bench;

/// <summary>
/// Polls a company's payments (QuickBooks query API, Id order, paging by position) and records when it first saw each
/// PaymentRefNum, on the bench's own monotonic clock. The latency of a payment is that time minus its publish time:
/// an upper bound on when the sandbox booked it, by at most one polling interval plus one query.
/// </summary>
internal sealed class PaymentWatcher(SandboxApi sandbox, string realm, string token, TimeSpan interval)
{
    private readonly ConcurrentDictionary<string, long> _seen = new(StringComparer.Ordinal);
    private int _position = 1;

    public int Count => _seen.Count;

    public IReadOnlyDictionary<string, long> Seen => _seen;

    public int Polls { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var page = await sandbox.PaymentRefsAsync(realm, token, _position, cancellationToken);
                Polls++;
                var now = Stopwatch.GetTimestamp();
                foreach (var reference in page)
                {
                    _seen.TryAdd(reference, now);
                }

                _position += page.Count;
                if (page.Count == 1000)
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
