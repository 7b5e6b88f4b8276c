using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Spillway.Tests.Support;

/// <summary>
/// A misbehaving upstream on 127.0.0.1, written on a bare socket so it can answer what no well-behaved server
/// would (an endless body, an endless event, a redirect, an error that echoes the key): it records each request
/// exactly as it arrived (request line, headers, body) and answers with what the test scripts. One request per
/// connection.
/// </summary>
internal sealed class LoopbackUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<UpstreamRequest, Stream, CancellationToken, Task> _answer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<UpstreamRequest> _requests = [];
    private readonly Task _accepting;

    public LoopbackUpstream(Func<UpstreamRequest, Stream, CancellationToken, Task> answer)
    {
        _answer = answer;
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1");
        _accepting = AcceptAsync();
    }

    /// <summary>The base URL to configure (<c>http://127.0.0.1:port/v1</c>).</summary>
    public Uri BaseUrl { get; }

    public IReadOnlyList<UpstreamRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>An answer of a status, headers and a body, whole.</summary>
    public static Func<UpstreamRequest, Stream, CancellationToken, Task> Answer(int status, string body, string contentType = "application/json", params string[] headers) =>
        (request, stream, token) => WriteAsync(stream, status, Encoding.UTF8.GetBytes(body), contentType, headers, token);

    public static async Task WriteAsync(Stream stream, int status, byte[] body, string contentType, IEnumerable<string> headers, CancellationToken token)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} Status\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
        foreach (var header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), token);
        await stream.WriteAsync(body, token);
    }

    /// <summary>Writes <paramref name="head"/> then <paramref name="fill"/> repeated until the reader goes away (or 256 MiB).</summary>
    public static async Task WriteEndlessAsync(Stream stream, string head, byte fill, CancellationToken token)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), token);
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, fill);
        for (var sent = 0L; sent < 256L * 1024 * 1024; sent += chunk.Length)
        {
            await stream.WriteAsync(chunk, token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, _stopping.Token);
                if (request is null)
                {
                    return;
                }

                lock (_requests)
                {
                    _requests.Add(request);
                }

                await _answer(request, stream, _stopping.Token);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The gateway stopped reading (what an oversized answer should make it do) or the test ended.
            }
        }
    }

    private static async Task<UpstreamRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken token)
    {
        var bytes = new List<byte>();
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(bytes)) < 0)
        {
            var read = await stream.ReadAsync(buffer, token);
            if (read == 0)
            {
                return null;
            }

            bytes.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        var head = Encoding.Latin1.GetString(bytes.ToArray(), 0, headEnd);
        var request = new UpstreamRequest(head, []);
        var length = int.TryParse(request.Header("Content-Length"), out var n) ? n : 0;
        var body = bytes.Skip(headEnd + 4).ToList();
        while (body.Count < length)
        {
            var read = await stream.ReadAsync(buffer, token);
            if (read == 0)
            {
                break;
            }

            body.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        return request with { Body = [.. body] };
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>One request as the upstream received it: the head (request line and header lines) and the body.</summary>
internal sealed record UpstreamRequest(string Head, byte[] Body)
{
    public string RequestLine => Head.Split("\r\n")[0];

    public IReadOnlyList<string> HeaderLines => Head.Split("\r\n").Skip(1).ToList();

    /// <summary>The value of the first header named <paramref name="name"/>, or null.</summary>
    public string? Header(string name) => Values(name) is [var first, ..] ? first : null;

    public IReadOnlyList<string> Values(string name) =>
        HeaderLines.Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(line => line[(name.Length + 1)..].Trim())
            .ToList();

    /// <summary>The key the gateway sent: the Bearer token, or <c>x-api-key</c>.</summary>
    public string? Key =>
        Header("Authorization") is { } authorization && authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            ? authorization["Bearer ".Length..]
            : Header("x-api-key");
}
