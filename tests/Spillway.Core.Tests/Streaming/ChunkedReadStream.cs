namespace Spillway.Core.Tests.Streaming;

/// <summary>
/// A read-only stream over fixed bytes that returns at most <c>chunkSize</c> bytes per read, asynchronously,
/// so tests exercise events and line ends split at every possible byte. With <c>yieldOnRead</c> false, reads
/// complete synchronously and allocate nothing, so allocation tests measure only the code under test.
/// </summary>
internal sealed class ChunkedReadStream(byte[] bytes, int chunkSize, bool yieldOnRead = true) : Stream
{
    private int _position;

    public bool WasDisposed { get; private set; }

    public int ReadCalls { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => bytes.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ReadCalls++;
        var n = Math.Min(Math.Min(chunkSize, buffer.Length), bytes.Length - _position);
        bytes.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        yieldOnRead ? YieldThenReadAsync(buffer, cancellationToken) : ValueTask.FromResult(Read(buffer.Span));

    private async ValueTask<int> YieldThenReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        // Yield so the reader's asynchronous path runs, as it does on a network stream.
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return Read(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        WasDisposed = true;
        base.Dispose(disposing);
    }
}
