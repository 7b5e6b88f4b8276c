using System.Buffers;

namespace Spillway.Core.Codecs;

/// <summary>
/// Carries one upstream stream to the client: tells the engine what each upstream event means (commit point,
/// finish, error, usage) and writes it in the client's format, as is when both speak the same one.
/// One relay per upstream call.
/// </summary>
internal interface IStreamRelay
{
    /// <summary>What was left out in translation, for the ledger.</summary>
    IReadOnlyList<string> DroppedHints { get; }

    /// <summary>Reads one upstream event. <see cref="Write"/> then writes that same event.</summary>
    UpstreamEvent Inspect(string? eventName, ReadOnlyMemory<byte> data);

    /// <summary>Writes the event last inspected, in the client's format (possibly nothing).</summary>
    void Write(IBufferWriter<byte> output);

    /// <summary>Ends the client's stream after the upstream's finished normally.</summary>
    void Complete(IBufferWriter<byte> output);

    /// <summary>Adds the event last inspected to what the client has been sent (before <see cref="Write"/>).</summary>
    void Record(StreamTranscript transcript);

    /// <summary>The encoder writing the client's events, which a continuation goes on with; null when the
    /// events pass as they came (a continuation then resumes a new encoder where the client's stream stands).</summary>
    IChatStreamEncoder? Encoder { get; }
}
