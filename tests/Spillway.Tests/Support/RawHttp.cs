using System.Net.Sockets;
using System.Text;

namespace Spillway.Tests.Support;

/// <summary>
/// HTTP/1.1 over a bare <see cref="TcpClient"/>: sends exactly the bytes a test builds (header values an HTTP
/// library would refuse, bodies that lie about their length) and reads one answer, or notes that the server
/// closed the connection without one.
/// </summary>
internal static class RawHttp
{
    /// <summary>A request with <c>Host</c> and <c>Connection: close</c>, and <c>Content-Length</c> unless chunked or told not to.</summary>
    public static byte[] Request(
        string method, string target, IEnumerable<string> headerLines, byte[]? body, bool chunked = false, bool contentLength = true)
    {
        var head = new StringBuilder();
        head.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        foreach (var line in headerLines)
        {
            head.Append(line).Append("\r\n");
        }

        body ??= [];
        if (chunked)
        {
            head.Append("Transfer-Encoding: chunked\r\n");
        }
        else if (contentLength && (body.Length > 0 || method is "POST" or "PUT"))
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        head.Append("\r\n");
        var bytes = new List<byte>(Encoding.Latin1.GetBytes(head.ToString()));
        if (!chunked)
        {
            bytes.AddRange(body);
            return [.. bytes];
        }

        const int chunk = 64 * 1024;
        for (var offset = 0; offset < body.Length; offset += chunk)
        {
            var length = Math.Min(chunk, body.Length - offset);
            bytes.AddRange(Encoding.ASCII.GetBytes(length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\r\n"));
            bytes.AddRange(body.AsSpan(offset, length).ToArray());
            bytes.AddRange("\r\n"u8.ToArray());
        }

        bytes.AddRange("0\r\n\r\n"u8.ToArray());
        return [.. bytes];
    }

    /// <summary>
    /// Sends <paramref name="request"/> while reading the answer (a server may answer before the body is in, as
    /// for a 413), and returns the answer, or one with status 0 when the connection closed without any.
    /// </summary>
    public static async Task<RawResponse> SendAsync(Uri server, byte[] request, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cts.Token);
        var stream = tcp.GetStream();
        var writing = WriteAllAsync(stream, request, cts.Token);
        var response = await ReadResponseAsync(stream, cts.Token);
        await writing;
        return response;
    }

    /// <summary>Reads one HTTP/1.1 answer: status, headers and body (Content-Length, chunked, or up to the close).</summary>
    public static async Task<RawResponse> ReadResponseAsync(Stream stream, CancellationToken cancellationToken)
    {
        var reader = new ByteReader(stream);
        var head = await reader.ReadHeadAsync(cancellationToken);
        if (head is null)
        {
            return new RawResponse(0, new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), []);
        }

        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        byte[] body;
        if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = await reader.ReadChunkedAsync(cancellationToken);
        }
        else if (headers.TryGetValue("Content-Length", out var length))
        {
            body = await reader.ReadExactlyAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        }
        else
        {
            body = await reader.ReadToEndAsync(cancellationToken);
        }

        return new RawResponse(status, headers, body);
    }

    private static async Task WriteAllAsync(Stream stream, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            for (var offset = 0; offset < bytes.Length; offset += 16 * 1024)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(16 * 1024, bytes.Length - offset)), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The server answered and closed before taking the whole body: expected for refused bodies.
        }
    }

    /// <summary>Buffered reads of an HTTP/1.1 message.</summary>
    private sealed class ByteReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<string?> ReadHeadAsync(CancellationToken cancellationToken)
        {
            var head = new List<byte>();
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    return head.Count == 0 ? null : Encoding.Latin1.GetString([.. head]);
                }

                head.Add(_buffer[_start++]);
                if (head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
                {
                    return Encoding.Latin1.GetString(head.ToArray(), 0, head.Count - 4);
                }
            }
        }

        public async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
        {
            var output = new byte[count];
            var written = 0;
            while (written < count)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    return output[..written];
                }

                var take = Math.Min(count - written, _end - _start);
                _buffer.AsSpan(_start, take).CopyTo(output.AsSpan(written));
                _start += take;
                written += take;
            }

            return output;
        }

        public async Task<byte[]> ReadChunkedAsync(CancellationToken cancellationToken)
        {
            var output = new List<byte>();
            while (true)
            {
                var sizeLine = await ReadLineAsync(cancellationToken);
                if (sizeLine is null)
                {
                    return [.. output];
                }

                var size = Convert.ToInt32(sizeLine.Split(';')[0].Trim(), 16);
                if (size == 0)
                {
                    await ReadLineAsync(cancellationToken);
                    return [.. output];
                }

                output.AddRange(await ReadExactlyAsync(size, cancellationToken));
                await ReadLineAsync(cancellationToken);
            }
        }

        public async Task<byte[]> ReadToEndAsync(CancellationToken cancellationToken)
        {
            var output = new List<byte>();
            while (_start < _end || await FillAsync(cancellationToken))
            {
                output.AddRange(_buffer.AsSpan(_start, _end - _start).ToArray());
                _start = _end;
            }

            return [.. output];
        }

        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new List<byte>();
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    return line.Count == 0 ? null : Encoding.Latin1.GetString([.. line]);
                }

                var b = _buffer[_start++];
                if (b == '\n')
                {
                    return Encoding.Latin1.GetString([.. line]).TrimEnd('\r');
                }

                line.Add(b);
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            try
            {
                _start = 0;
                _end = await stream.ReadAsync(_buffer, cancellationToken);
                return _end > 0;
            }
            catch (IOException)
            {
                // A reset after the answer (the server closing on an unread body) ends the answer.
                _end = 0;
                return false;
            }
        }
    }
}

/// <summary>One answer read off the wire; <see cref="Status"/> 0 when the server closed without answering.</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}
