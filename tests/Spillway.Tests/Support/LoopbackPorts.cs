using System.Net;
using System.Net.Sockets;

namespace Spillway.Tests.Support;

/// <summary>Loopback ports for child processes and for addresses nothing listens on.</summary>
internal static class LoopbackPorts
{
    /// <summary>A port the system gave out and that was closed again: free for a child to listen on.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>An address nothing listens on (a connection to it is refused).</summary>
    public static string ClosedUrl() => "http://127.0.0.1:" + Free();
}
