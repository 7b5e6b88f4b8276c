namespace Spillway.Core.Codecs;

/// <summary>What the request's <c>response_format.type</c> asks for.</summary>
public enum ResponseFormatKind
{
    /// <summary>No <c>response_format</c>, or one without a string <c>type</c>.</summary>
    Unspecified,

    /// <summary><c>"text"</c>: plain output, same as none.</summary>
    Text,

    /// <summary><c>"json_object"</c>: JSON mode.</summary>
    JsonObject,

    /// <summary><c>"json_schema"</c>: structured output against a schema.</summary>
    JsonSchema,

    /// <summary>A type this gateway does not know; forwarded as is.</summary>
    Other,
}
