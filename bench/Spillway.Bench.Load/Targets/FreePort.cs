using System.Net;
using System.Net.Sockets;

namespace Spillway.Bench.Load.Targets;

/// <summary>A loopback port free at the time of asking, for a child process that needs one on its command line.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
