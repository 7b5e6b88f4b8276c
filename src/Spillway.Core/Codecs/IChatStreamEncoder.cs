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

    /// <summary>
    /// Takes over a stream the client has already seen begin (the answer goes on from another upstream after the
    /// first broke): nothing opening is written again, the answer keeps the id and envelope the client saw, and the
    /// parts it saw keep their places. Called once, before any <see cref="Write"/>.
    /// </summary>
    void Resume(StreamResumePoint point);
}
