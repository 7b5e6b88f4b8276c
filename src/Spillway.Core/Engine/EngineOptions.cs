namespace Spillway.Core.Engine;

/// <summary>Knobs of the fallback engine.</summary>
public sealed record EngineOptions
{
    /// <summary>A rate limit whose stated wait is at most this may be waited out on the same key,
    /// when no other step could serve (the failure-class table in src/Spillway.Core/README.md).</summary>
    public TimeSpan ShortRetryWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The largest non-streamed upstream response accepted; a larger one fails the attempt like a server error (the
    /// next step may serve).
    /// </summary>
    public int MaxResponseBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>
    /// The largest single event (or line) of an upstream stream; a larger one breaks the stream, and before the
    /// commit point the next step serves.
    /// </summary>
    public int MaxStreamEventBytes { get; init; } = Streaming.SseReader.DefaultMaxEventBytes;

    /// <summary>The largest upstream error body read for classification.</summary>
    public int MaxErrorBodyBytes { get; init; } = 64 * 1024;

    /// <summary>
    /// <c>telemetry.capture_content</c>: the spans carry the client's request body and each buffered answer
    /// (cut at <see cref="Telemetry.GatewaySpans.MaxContentBytes"/>). Off by default: prompts are the users' data.
    /// </summary>
    public bool CaptureContent { get; init; }
}
