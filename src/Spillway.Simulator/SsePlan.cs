namespace Spillway.Simulator;

/// <summary>
/// Everything <see cref="StreamResponder"/> needs to send one streamed answer in some wire format: the frames
/// in order, and the format's own spelling of what the stream faults add or remove.
/// </summary>
/// <param name="Frames">The answer's frames, first to last.</param>
/// <param name="Terminal">The closing frame that <see cref="SimulatedFaultKind.StreamWithoutDone"/> leaves out (<c>[DONE]</c>, <c>message_stop</c>); null when the format has none.</param>
/// <param name="Malformed">The truncated frame a <see cref="SimulatedFaultKind.MalformedEvent"/> sends after the first frame.</param>
/// <param name="ErrorFrame">The error frame of <see cref="MidStreamFailure.ErrorChunk"/>; null to abort the connection instead.</param>
/// <param name="KeepAlive">The frame <see cref="SimulatedFaultKind.KeepAliveComments"/> interleaves; null when the format has none.</param>
internal sealed record SsePlan(
    IReadOnlyList<SseFrame> Frames,
    byte[]? Terminal,
    byte[] Malformed,
    byte[]? ErrorFrame,
    byte[]? KeepAlive);
