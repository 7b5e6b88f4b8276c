using System.Buffers;
using System.Text;
using Spillway.Core.Codecs;

namespace Spillway.Core.Tests.Engine;

/// <summary>The client's side of a response, kept in memory: status, headers and body bytes.</summary>
internal sealed class MemoryClientResponse : IClientResponse
{
    private readonly ArrayBufferWriter<byte> _body = new();

    public bool HasStarted { get; private set; }

    public int Status { get; private set; }

    public string? ContentType { get; private set; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IBufferWriter<byte> Body => _body;

    /// <summary>The body written so far, as text.</summary>
    public string Text => Encoding.UTF8.GetString(_body.WrittenSpan);

    /// <summary>The data lines of an event-stream body, in order.</summary>
    public List<string> Data => [.. Text.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).Select(l => l[5..].Trim())];

    public void SetHeader(string name, string value)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException($"Header '{name}' set after the response started.");
        }

        Headers[name] = value;
    }

    /// <summary>The length the answer was started with; null when it was sent without one.</summary>
    public long? ContentLength { get; private set; }

    public ValueTask StartAsync(int status, string contentType, long? contentLength, CancellationToken cancellationToken)
    {
        HasStarted = true;
        Status = status;
        ContentType = contentType;
        ContentLength = contentLength;
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
