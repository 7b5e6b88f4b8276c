using System.Net;
using System.Net.Sockets;

namespace Spillway.Core.Tests.Catalog;

/// <summary>A real HTTP server on 127.0.0.1 answering every request with the status and body a test sets.</summary>
internal sealed class LoopbackModelServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public LoopbackModelServer(byte[] body, int status = 200)
    {
        Body = body;
        Status = status;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/api/v1");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public byte[] Body { get; set; }

    public int Status { get; set; }

    /// <summary>When set, every answer carries this <c>Location</c> (a redirect, with a 3xx <see cref="Status"/>).</summary>
    public Uri? Location { get; set; }

    public List<(string Path, string? Authorization)> Requests { get; } = [];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            lock (Requests)
            {
                Requests.Add((context.Request.Url!.PathAndQuery, context.Request.Headers["Authorization"]));
            }

            context.Response.StatusCode = Status;
            context.Response.ContentType = "application/json";
            if (Location is { } location)
            {
                context.Response.RedirectLocation = location.AbsoluteUri;
            }

            await context.Response.OutputStream.WriteAsync(Body);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
