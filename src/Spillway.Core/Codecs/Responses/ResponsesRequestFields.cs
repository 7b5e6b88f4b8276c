using System.Text.Json;

namespace Spillway.Core.Codecs.Responses;

/// <summary>The top-level fields of a Responses request: their JSON types, and where each goes.</summary>
internal static class ResponsesRequestFields
{
    /// <summary>The JSON shape a field takes.</summary>
    public enum Shape
    {
        String,
        Boolean,
        Number,
        Object,
        Array,
        StringOrArray,
        StringOrObject,
        Any,
    }

    /// <summary>The shape of <paramref name="name"/>, or null for a field the API does not have.</summary>
    public static Shape? Expected(string name) => name switch
    {
        "model" or "instructions" or "user" or "previous_response_id" or "prompt_cache_key" or "service_tier"
            or "safety_identifier" or "truncation" or "prompt_cache_retention" => Shape.String,
        "stream" or "store" or "parallel_tool_calls" or "background" => Shape.Boolean,
        "max_output_tokens" or "temperature" or "top_p" or "top_logprobs" or "max_tool_calls" => Shape.Number,
        "text" or "reasoning" or "metadata" or "stream_options" or "prompt" or "client_metadata" => Shape.Object,
        "tools" or "include" => Shape.Array,
        "input" => Shape.StringOrArray,
        "tool_choice" or "conversation" => Shape.StringOrObject,
        _ => null,
    };

    public static bool Matches(Shape shape, JsonElement value) => shape switch
    {
        Shape.String => value.ValueKind == JsonValueKind.String,
        Shape.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        Shape.Number => value.ValueKind == JsonValueKind.Number,
        Shape.Object => value.ValueKind == JsonValueKind.Object,
        Shape.Array => value.ValueKind == JsonValueKind.Array,
        Shape.StringOrArray => value.ValueKind is JsonValueKind.String or JsonValueKind.Array,
        Shape.StringOrObject => value.ValueKind is JsonValueKind.String or JsonValueKind.Object,
        _ => true,
    };

    public static string Describe(Shape shape) => shape switch
    {
        Shape.String => "a string",
        Shape.Boolean => "a boolean",
        Shape.Number => "a number",
        Shape.Object => "an object",
        Shape.Array => "an array",
        Shape.StringOrArray => "a string or an array",
        Shape.StringOrObject => "a string or an object",
        _ => "a value",
    };

    /// <summary>True for a known field the canonical model has no place for, kept as an extension.</summary>
    public static bool IsExtension(string name) => name is "metadata" or "store" or "include" or "previous_response_id"
        or "prompt_cache_key" or "service_tier" or "safety_identifier" or "truncation" or "prompt_cache_retention"
        or "top_logprobs" or "max_tool_calls" or "stream_options" or "background" or "conversation" or "prompt"
        or "client_metadata";

    /// <summary>True for a field Chat Completions has under the same name and meaning.</summary>
    public static bool IsSharedWithChat(string name) => name is "prompt_cache_key" or "service_tier" or "safety_identifier";

    /// <summary>Fields whose loss would change the answer: stored state, prompt templates, background runs.</summary>
    public static bool MustHonor(string name, JsonElement value) => name switch
    {
        "previous_response_id" or "conversation" or "prompt" => true,
        "background" => value.ValueKind == JsonValueKind.True,
        _ => false,
    };
}
