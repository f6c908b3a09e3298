using System.Net;
using System.Net.Sockets;

namespace ReconMesh.IntegrationTests.Infrastructure;

/// <summary>Ports for services the tests start, where a service must be told its port (the webhook listener's, a process's).</summary>
public static class LoopbackPorts
{
    /// <summary>A loopback port nothing listens on now (the system's choice, released at once).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether nothing listens on loopback <paramref name="port"/> now (for a test that needs a fixed port).</summary>
    public static bool IsFree(int port)
    {
        using var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
