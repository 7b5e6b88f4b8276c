using System.Net;
using System.Net.Sockets;

namespace Spillway.TestSupport.Servers;

/// <summary>Free loopback ports for the servers the tests start.</summary>
public static class LoopbackPort
{
    /// <summary>A port the system gave out and that was closed again: free for a server to listen on.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>True once something accepts TCP connections on the port.</summary>
    public static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
