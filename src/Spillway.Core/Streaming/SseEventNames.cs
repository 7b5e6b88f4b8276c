namespace Spillway.Core.Streaming;

/// <summary>
/// The <c>event:</c> names that upstreams send on every stream, interned so that reading them allocates nothing.
/// Anthropic names every event; OpenAI-style hosts name none, or only <c>error</c>.
/// </summary>
internal static class SseEventNames
{
    public const string MessageStart = "message_start";
    public const string MessageDelta = "message_delta";
    public const string MessageStop = "message_stop";
    public const string ContentBlockStart = "content_block_start";
    public const string ContentBlockDelta = "content_block_delta";
    public const string ContentBlockStop = "content_block_stop";
    public const string Ping = "ping";
    public const string Error = "error";
    public const string Message = "message";

    /// <summary>Returns the interned name for <paramref name="utf8"/>, or null when it is not a common one.</summary>
    public static string? Lookup(ReadOnlySpan<byte> utf8) => utf8.Length switch
    {
        4 when utf8.SequenceEqual("ping"u8) => Ping,
        5 when utf8.SequenceEqual("error"u8) => Error,
        7 when utf8.SequenceEqual("message"u8) => Message,
        12 when utf8.SequenceEqual("message_stop"u8) => MessageStop,
        13 when utf8.SequenceEqual("message_start"u8) => MessageStart,
        13 when utf8.SequenceEqual("message_delta"u8) => MessageDelta,
        18 when utf8.SequenceEqual("content_block_stop"u8) => ContentBlockStop,
        19 when utf8.SequenceEqual("content_block_start"u8) => ContentBlockStart,
        19 when utf8.SequenceEqual("content_block_delta"u8) => ContentBlockDelta,
        _ => null,
    };
}
