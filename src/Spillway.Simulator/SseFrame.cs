using System.Text;

namespace Spillway.Simulator;

/// <summary>One complete Server-Sent Events frame as it goes on the wire, and its role in the answer.</summary>
/// <param name="Kind">What the frame carries; stream faults decide where to break by it.</param>
/// <param name="Bytes">The frame, ending with the blank line.</param>
internal readonly record struct SseFrame(StreamEventKind Kind, byte[] Bytes)
{
    /// <summary><c>data: {json}</c> and a blank line: an unnamed event (OpenAI, Gemini).</summary>
    public static byte[] Data(byte[] json) => [.. "data: "u8, .. json, .. "\n\n"u8];

    /// <summary><c>event: {name}</c>, <c>data: {json}</c> and a blank line: a named event (Anthropic).</summary>
    public static byte[] Named(string name, byte[] json) =>
        [.. Encoding.ASCII.GetBytes("event: " + name + "\n"), .. Data(json)];
}
