namespace Spillway.Core.Chat;

/// <summary>The shape the caller wants the answer in.</summary>
public enum ResponseFormatType
{
    /// <summary>Free text (the default).</summary>
    Text,

    /// <summary>Any JSON object.</summary>
    JsonObject,

    /// <summary>JSON matching a given schema.</summary>
    JsonSchema,
}
