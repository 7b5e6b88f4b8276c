using System.Buffers;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// The engine's stream seam over <see cref="GeminiStreamEncoder"/>. Gemini streams have no opening event, so taking
/// over a stream another upstream began only keeps the answer's id (<c>responseId</c>) and model as the client saw them.
/// </summary>
internal sealed class GeminiClientStreamEncoder : IChatStreamEncoder
{
    private readonly GeminiStreamEncoder _encoder = new();
    private bool _resumed;

    public IReadOnlyList<string> DroppedHints => _encoder.DroppedHints;

    public void Write(ChatStreamEvent streamEvent, IBufferWriter<byte> output)
    {
        if (_resumed && streamEvent is MessageStartEvent)
        {
            // The continuing upstream's own id and model: the client keeps the first ones.
            return;
        }

        _encoder.Write(output, streamEvent);
    }

    public void Complete(IBufferWriter<byte> output) => _encoder.Complete(output);

    public void Resume(StreamResumePoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        _encoder.Write(NoOutput.Instance, point.Start);
        _resumed = true;
    }

    /// <summary>Where the opening event goes on a resume: a message start writes nothing in Gemini's format.</summary>
    private sealed class NoOutput : IBufferWriter<byte>
    {
        public static NoOutput Instance { get; } = new();

        public void Advance(int count) => throw new InvalidOperationException("A message start writes nothing.");

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new InvalidOperationException("A message start writes nothing.");

        public Span<byte> GetSpan(int sizeHint = 0) => throw new InvalidOperationException("A message start writes nothing.");
    }
}
