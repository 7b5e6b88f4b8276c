using System.Buffers;
using System.Runtime.CompilerServices;

namespace Spillway.Core.Streaming;

/// <summary>
/// Reads Server-Sent Events from a byte stream: the one SSE parser of the program, used for every upstream format.
/// </summary>
/// <remarks>
/// <para>
/// Bytes are read into a pooled buffer and parsed line by line; the current event's data is copied into a second
/// pooled buffer, so reading an event whose name is a common one allocates nothing.
/// </para>
/// <para>
/// Lines end with <c>\n</c>, <c>\r\n</c> or <c>\r</c>; a leading UTF-8 byte order mark is skipped. <c>data:</c>
/// lines are joined with <c>\n</c>; one space after the colon is removed. Comment lines (<c>: keep-alive</c>,
/// <c>: OPENROUTER PROCESSING</c>) are counted and skipped; <c>id:</c>, <c>retry:</c> and unknown fields are
/// ignored because the gateway never resumes a stream. An event is delivered when a blank line ends it and it had
/// a <c>data:</c> or <c>event:</c> line. At the end of the stream an event that no blank line ended is still
/// delivered, and <see cref="EndedMidEvent"/> tells the caller the stream was cut inside it.
/// </para>
/// <para>Not thread-safe: one reader per stream, one read at a time.</para>
/// <para>
/// Why not .NET's <c>System.Net.ServerSentEvents.SseParser</c>, measured on 2026-12-06 with
/// <c>dotnet run -c Release --project bench/Spillway.Bench.Micro -- --filter '*Sse*' --job short --buildTimeout 900</c>
/// (tables in bench/results/2026-12-06-sse-parser.md): in .NET 10 it has no limit on one event (it buffered a
/// 200 MiB event without an error), so it could not enforce <c>EngineOptions.MaxStreamEventBytes</c> and an upstream
/// could grow memory without bound. On 200-event OpenAI and Anthropic streams this reader took 15-36 µs and 144-168 B
/// per stream, <c>SseParser</c> with a pooled data buffer 27-142 µs (1.3-4.8x) and 13 KB per Anthropic stream (a
/// string per <c>event:</c> line). It drops an event cut short by the stream's end, which this reader delivers with
/// <see cref="EndedMidEvent"/>. It won one case: a 256 KiB event arriving 1460 bytes at a time took 1.2-1.6 ms here
/// against 0.08-0.1 ms, because <c>TryParseEvent</c> searched an unfinished line from its start after every read
/// (time grew with the line's square: about 0.8 s for a 4 MiB event in 1460-byte reads); it now searches only the
/// bytes that arrived since its last look.
/// </para>
/// </remarks>
public sealed partial class SseReader : IAsyncDisposable
{
    /// <summary>The default limit on one event's size: 4 MiB.</summary>
    public const int DefaultMaxEventBytes = 4 * 1024 * 1024;

    private const int InitialBufferSize = 16 * 1024;
    private const int InitialDataSize = 4 * 1024;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _maxEventBytes;

    // Raw bytes from the stream; [_start, _end) is what is read and not parsed yet.
    private byte[] _buffer;
    private int _start;
    private int _end;

    // How many bytes from _start are already known to hold no line end (the unfinished line searched so far).
    private int _scannedWithoutLineEnd;

    // The event being parsed, or the one just delivered.
    private byte[] _data;
    private int _dataLength;
    private int _dataLines;
    private int _eventBytes;
    private bool _eventHasFields;

    // A line ended with '\r' at the end of the buffered bytes: a '\n' arriving next belongs to that line end.
    private bool _skipLeadingLf;
    private bool _bomChecked;
    private bool _endOfStream;
    private bool _disposed;

    // The last event name that is not a common one, so a stream repeating a custom name allocates it once.
    private byte[] _customNameBytes = [];
    private string? _customName;

    /// <summary>Creates a reader over <paramref name="stream"/>.</summary>
    /// <param name="stream">The SSE byte stream, typically an upstream response body.</param>
    /// <param name="maxEventBytes">
    /// The largest event accepted, counted over its field lines without line ends; a larger one throws
    /// <see cref="SseFormatException"/> before it is buffered whole.
    /// </param>
    /// <param name="leaveOpen">True to leave <paramref name="stream"/> open when the reader is disposed.</param>
    public SseReader(Stream stream, int maxEventBytes = DefaultMaxEventBytes, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventBytes);
        _stream = stream;
        _maxEventBytes = maxEventBytes;
        _leaveOpen = leaveOpen;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        _data = ArrayPool<byte>.Shared.Rent(InitialDataSize);
    }

    /// <summary>
    /// The current event's data: its <c>data:</c> lines joined with <c>\n</c>. Valid until the next
    /// <see cref="ReadNextAsync"/> or <see cref="DisposeAsync"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Data => _data.AsMemory(0, _dataLength);

    /// <summary>The current event's <c>event:</c> name, or null when it had none (OpenAI-style streams).</summary>
    public string? EventName { get; private set; }

    /// <summary>
    /// True once the stream has ended inside an event that no blank line terminated: the last delivered event may
    /// be cut short, and the stream as a whole is truncated.
    /// </summary>
    public bool EndedMidEvent { get; private set; }

    /// <summary>How many comment lines (keep-alives) have been skipped so far.</summary>
    public long CommentLinesSkipped { get; private set; }

    /// <summary>Moves to the next event.</summary>
    /// <returns>True when an event was read; false at the end of the stream.</returns>
    /// <exception cref="SseFormatException">An event is larger than the configured maximum.</exception>
    public ValueTask<bool> ReadNextAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ResetEvent();

        // Stay synchronous while the event is buffered or the stream answers at once (its data already arrived):
        // only a read that has to wait pays for an async state machine.
        while (true)
        {
            if (TryParseEvent())
            {
                return new ValueTask<bool>(true);
            }

            if (_endOfStream)
            {
                return new ValueTask<bool>(false);
            }

            MakeRoomToRead();
            var read = _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (!read.IsCompletedSuccessfully)
            {
                return ContinueAfterReadAsync(read, cancellationToken);
            }

            AcceptRead(read.Result);
        }
    }

    /// <summary>Returns the pooled buffers and, unless asked to leave it open, disposes the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ArrayPool<byte>.Shared.Return(_buffer);
        ArrayPool<byte>.Shared.Return(_data);
        _buffer = [];
        _data = [];
        _dataLength = 0;
        if (!_leaveOpen)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Pooled: a stream that waits for every event would otherwise allocate a state machine per event.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ContinueAfterReadAsync(ValueTask<int> read, CancellationToken cancellationToken)
    {
        AcceptRead(await read.ConfigureAwait(false));
        while (true)
        {
            if (TryParseEvent())
            {
                return true;
            }

            if (_endOfStream)
            {
                return false;
            }

            MakeRoomToRead();
            AcceptRead(await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false));
        }
    }

    private void AcceptRead(int read)
    {
        if (read == 0)
        {
            _endOfStream = true;
        }
        else
        {
            _end += read;
        }
    }

    private void ResetEvent()
    {
        _dataLength = 0;
        _dataLines = 0;
        _eventBytes = 0;
        _eventHasFields = false;
        EventName = null;
    }

    private void MakeRoomToRead()
    {
        if (_start == _end)
        {
            _start = _end = 0;
            return;
        }

        if (_end < _buffer.Length)
        {
            return;
        }

        // The buffer ends in an unfinished line: slide it to the front while that frees at least half the buffer,
        // else grow. NeedMoreForLine bounds the line, so the buffer stays within about twice the event limit.
        var pending = _end - _start;
        if (pending <= _buffer.Length / 2)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        }
        else
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, _start, larger, 0, pending);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        _start = 0;
        _end = pending;
    }

    private SseFormatException TooLarge() =>
        new($"An SSE event is larger than the limit of {_maxEventBytes} bytes.");
}
