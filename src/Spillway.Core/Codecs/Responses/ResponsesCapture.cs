using System.Buffers;
using System.Text.Json;
using Spillway.Core.Buffers;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Stands between the engine and a Responses client whose request is stored (<c>store: true</c>): sees the bytes the
/// client is sent and hands the final response object to <c>keep</c> before those bytes are flushed, so a client that
/// sends its follow-up the moment it has the answer finds the answer stored. Only a 200 is kept: the whole body of
/// a non-streamed answer, or the <c>response</c> of a stream's <c>response.completed</c> or
/// <c>response.incomplete</c> event (a stream that ends with <c>response.failed</c> keeps nothing).
/// </summary>
/// <remarks>
/// The engine stays unaware of it: it writes through <see cref="Body"/> as through any client. A request with
/// <c>store: false</c> never gets one, and pays nothing. A stream is scanned at each flush for whole events only,
/// and what was scanned is let go, so what is held at once is one flush's worth of events.
/// </remarks>
public sealed class ResponsesCapture : IClientResponse, IBufferWriter<byte>, IDisposable
{
    private const int MaxEventNameLength = 64;

    private readonly IClientResponse _inner;
    private readonly Func<ReadOnlyMemory<byte>, ValueTask> _keep;
    private PooledBufferWriter? _seen;
    private Memory<byte> _lent;
    private bool _capturing;
    private bool _stream;
    private bool _kept;

    /// <param name="inner">The client's response.</param>
    /// <param name="keep">Stores the final response object (its bytes are valid only during the call); it must not
    /// throw for a store that fails: the client's answer goes on.</param>
    public ResponsesCapture(IClientResponse inner, Func<ReadOnlyMemory<byte>, ValueTask> keep)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(keep);
        _inner = inner;
        _keep = keep;
    }

    public bool HasStarted => _inner.HasStarted;

    /// <summary>This writer while an answer worth keeping is written, else the client's own.</summary>
    public IBufferWriter<byte> Body => _capturing ? this : _inner.Body;

    public void SetHeader(string name, string value) => _inner.SetHeader(name, value);

    public ValueTask StartAsync(int status, string contentType, long? contentLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        _capturing = status == 200;
        _stream = contentType.StartsWith("text/event-stream", StringComparison.Ordinal);
        if (_capturing)
        {
            _seen = new PooledBufferWriter(_stream ? 4096 : 8192);
        }

        return _inner.StartAsync(status, contentType, contentLength, cancellationToken);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_capturing && !_kept && _seen is { } seen)
        {
            var final = _stream ? FinalEvent(seen) : seen.WrittenMemory;
            if (!final.IsEmpty)
            {
                _kept = true;
                await _keep(final);
            }

            if (_stream)
            {
                Release(seen);
            }
        }

        await _inner.FlushAsync(cancellationToken);
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _lent = _inner.Body.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    public void Advance(int count)
    {
        if (!_kept)
        {
            _seen?.Write(_lent.Span[..count]);
        }

        _lent = default;
        _inner.Body.Advance(count);
    }

    public void Dispose()
    {
        _seen?.Dispose();
        _seen = null;
    }

    /// <summary>
    /// The <c>response</c> of a final event among the whole events in <paramref name="seen"/>, or empty. The stream
    /// encoder writes each event as an <c>event:</c> line and one <c>data:</c> line of JSON.
    /// </summary>
    private static ReadOnlyMemory<byte> FinalEvent(PooledBufferWriter seen)
    {
        var rest = seen.WrittenMemory;
        while (rest.Span.IndexOf("\n\n"u8) is var end and >= 0)
        {
            var evt = rest[..end];
            rest = rest[(end + 2)..];
            if (Final(evt.Span) is { } data && ResponseOf(evt[data..]) is { IsEmpty: false } response)
            {
                return response;
            }
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>Where the data of <paramref name="evt"/> starts when it is a final event, else null.</summary>
    private static int? Final(ReadOnlySpan<byte> evt)
    {
        var name = evt[..Math.Min(evt.Length, MaxEventNameLength)];
        var line = name.IndexOf((byte)'\n');
        if (line < 0)
        {
            return null;
        }

        name = name[..line];
        if (!name.SequenceEqual("event: response.completed"u8) && !name.SequenceEqual("event: response.incomplete"u8))
        {
            return null;
        }

        return evt[(line + 1)..].StartsWith("data: "u8) ? line + 1 + "data: "u8.Length : null;
    }

    private static ReadOnlyMemory<byte> ResponseOf(ReadOnlyMemory<byte> data)
    {
        var reader = new Utf8JsonReader(data.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isResponse = reader.ValueTextEquals("response"u8);
            if (!reader.Read())
            {
                break;
            }

            if (isResponse && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return data[start..(int)(reader.BytesConsumed)];
            }

            reader.Skip();
        }

        return ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>Lets go of the whole events scanned, keeping a partial one (never written by the encoder, but cheap to allow).</summary>
    private static void Release(PooledBufferWriter seen)
    {
        var written = seen.WrittenSpan;
        var last = written.LastIndexOf("\n\n"u8);
        if (last < 0)
        {
            return;
        }

        var tail = written[(last + 2)..].ToArray();
        seen.Clear();
        seen.Write(tail);
    }
}
