using Spillway.Core.Buffers;
using Spillway.Core.Codecs;

namespace Spillway.Core.Engine;

/// <summary>An upstream request body ready for one step, and how its answer comes back to the client.</summary>
internal sealed class PreparedRequest : IDisposable
{
    private readonly PooledBufferWriter? _pooled;

    private PreparedRequest(IUpstreamProtocol protocol, bool passThrough, ReadOnlyMemory<byte> body, PooledBufferWriter? pooled)
    {
        Protocol = protocol;
        PassThrough = passThrough;
        Body = body;
        _pooled = pooled;
    }

    public IUpstreamProtocol Protocol { get; }

    /// <summary>True when client and upstream speak the same format: bytes go both ways as they are.</summary>
    public bool PassThrough { get; }

    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Headers the translated body needs (<c>anthropic-beta</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private init; } = [];

    /// <summary>What translation left out of the request, for the ledger.</summary>
    public IReadOnlyList<string> DroppedHints { get; private init; } = [];

    public static PreparedRequest PassThroughOf(IUpstreamProtocol protocol, PooledBufferWriter body) =>
        new(protocol, passThrough: true, body.WrittenMemory, body);

    public static PreparedRequest Translated(IUpstreamProtocol protocol, Chat.EncodedPayload payload) =>
        new(protocol, passThrough: false, payload.Body, null) { Headers = payload.Headers, DroppedHints = payload.DroppedHints };

    public void Dispose() => _pooled?.Dispose();
}
