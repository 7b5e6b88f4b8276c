using System.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs;

/// <summary>Writes canonical stream events in a client's wire format. One encoder per stream.</summary>
public interface IChatStreamEncoder
{
    /// <summary>What was left out because the client's format cannot carry it, each name once.</summary>
    IReadOnlyList<string> DroppedHints { get; }

    /// <summary>Writes what <paramref name="streamEvent"/> means for the client, if anything yet.</summary>
    void Write(ChatStreamEvent streamEvent, IBufferWriter<byte> output);

    /// <summary>Ends a stream whose upstream finished normally.</summary>
    void Complete(IBufferWriter<byte> output);
}
