namespace Spillway.Simulator;

/// <summary>A complete, non-streamed HTTP answer: status, extra headers and a JSON body.</summary>
internal sealed record SimulatedReply(int Status, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public static SimulatedReply Json(int status, byte[] body, params IEnumerable<KeyValuePair<string, string>> headers) =>
        new(status, body, [.. headers]);
}
