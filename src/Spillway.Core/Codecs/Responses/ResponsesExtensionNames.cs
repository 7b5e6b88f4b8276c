using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>
/// Names of the Responses extensions that are not plain body fields: what the decoder leaves out rides in the
/// request as a Responses extension, so the upstream encoder (which drops every foreign field) reports it to the ledger.
/// </summary>
internal static class ResponsesExtensionNames
{
    /// <summary>The prefix of a dropped built-in tool (<c>tools.web_search</c>).</summary>
    public const string BuiltInToolPrefix = "tools.";

    /// <summary>Reasoning items of earlier turns, left out of the canonical conversation.</summary>
    public const string ReasoningInput = "input.reasoning";

    /// <summary>Records <paramref name="value"/> as left out under <paramref name="name"/>, once per name.</summary>
    public static void Drop(List<ChatExtension> dropped, string name, JsonElement value)
    {
        if (!dropped.Exists(x => x.Name == name))
        {
            dropped.Add(new ChatExtension(WireFormat.OpenAIResponses, name, JsonElementReader.Raw(value)));
        }
    }
}
