using System.Text;
using System.Threading.Channels;

namespace Spillway.Core.Tests.Engine;

/// <summary>
/// A response body the test writes event by event. A read with nothing written waits (honouring its
/// cancellation, which is how the engine's deadline ends it); <see cref="Blocked"/> tells when the reader waits.
/// </summary>
internal sealed class ScriptedStream : Stream
{
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();
    private readonly Lock _gate = new();
    private ReadOnlyMemory<byte> _rest;
    private bool _blocked;
    private TaskCompletionSource? _blockedSignal;

    /// <summary>Completes once a read waits for data that has not been written.</summary>
    public Task Blocked
    {
        get
        {
            lock (_gate)
            {
                return _blocked ? Task.CompletedTask : (_blockedSignal ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Sends one whole SSE event.</summary>
    public void WriteEvent(string sseEvent)
    {
        lock (_gate)
        {
            _blocked = false;
        }

        _chunks.Writer.TryWrite(Encoding.UTF8.GetBytes(sseEvent + "\n\n"));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_rest.IsEmpty)
        {
            if (!_chunks.Reader.TryRead(out var chunk))
            {
                lock (_gate)
                {
                    _blocked = true;
                    _blockedSignal?.TrySetResult();
                    _blockedSignal = null;
                }

                chunk = await _chunks.Reader.ReadAsync(cancellationToken);
            }

            _rest = chunk;
        }

        var n = Math.Min(buffer.Length, _rest.Length);
        _rest[..n].CopyTo(buffer);
        _rest = _rest[n..];
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
