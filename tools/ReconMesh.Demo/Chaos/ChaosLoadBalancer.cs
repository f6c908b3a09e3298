using System.Net;
using System.Net.Sockets;

namespace ReconMesh.Demo.Chaos;

/// <summary>
/// What stands in front of a service's replicas in production (here: the PaymentEvents replicas' webhook listeners, and
/// the WritebackService replicas' APIs the driver reads): a TCP load balancer. Each connection goes to
/// the next replica in turn that accepts it; a replica that refuses (killed, starting) is passed over, and when none
/// accepts the caller's connection is closed, so the platform sees its request fail and sends the event again. A frozen
/// replica still accepts (the kernel queues the connection): the caller's own timeout covers that, as it would in
/// production until a health check took the replica out.
/// </summary>
internal sealed class ChaosLoadBalancer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IReadOnlyList<IPEndPoint> _backends;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _next;

    public ChaosLoadBalancer(int port, IReadOnlyList<Uri> backends)
    {
        _backends = [.. backends.Select(b => new IPEndPoint(IPAddress.Parse(b.Host), b.Port))];
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        {
            var first = Interlocked.Increment(ref _next);
            for (var i = 0; i < _backends.Count; i++)
            {
                using var backend = new TcpClient();
                try
                {
                    await backend.ConnectAsync(_backends[(first + i) % _backends.Count], _stop.Token);
                }
                catch (Exception ex) when (ex is SocketException)
                {
                    continue; // refused: that replica is down, try the next
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await PumpAsync(client, backend);
                return;
            }
        }
    }

    private async Task PumpAsync(TcpClient client, TcpClient backend)
    {
        using var pumping = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var from = client.GetStream();
        var to = backend.GetStream();
        try
        {
            // Whichever side closes (or dies) first ends both directions.
            await Task.WhenAny(from.CopyToAsync(to, pumping.Token), to.CopyToAsync(from, pumping.Token));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // a side went away mid-request: the caller sees its request fail
        }
        finally
        {
            await pumping.CancelAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stop.Dispose();
    }
}
