namespace Spillway.Bench.Load.Measure;

/// <summary>The chat request every target is sent: small, as most chat turns are, so the proxy's own cost shows.</summary>
internal static class RequestBodies
{
    public static string Chat(string model, bool stream) =>
        "{\"model\":\"" + model + "\"," +
        (stream ? "\"stream\":true,\"stream_options\":{\"include_usage\":true}," : string.Empty) +
        "\"messages\":[{\"role\":\"system\",\"content\":\"You are a terse assistant.\"}," +
        "{\"role\":\"user\",\"content\":\"Say hello in ten words or fewer.\"}],\"max_tokens\":32}";
}
