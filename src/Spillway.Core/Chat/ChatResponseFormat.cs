namespace Spillway.Core.Chat;

/// <summary>The requested answer shape.</summary>
/// <param name="Type">Text, any JSON object, or JSON matching <see cref="Schema"/>.</param>
public sealed record ChatResponseFormat(ResponseFormatType Type)
{
    /// <summary>The schema's name (required by OpenAI for <see cref="ResponseFormatType.JsonSchema"/>).</summary>
    public string? Name { get; init; }

    /// <summary>The schema's description, or null.</summary>
    public string? Description { get; init; }

    /// <summary>The JSON Schema as raw bytes; empty unless the type is <see cref="ResponseFormatType.JsonSchema"/>.</summary>
    public RawJson Schema { get; init; }

    /// <summary>Whether the output must match the schema exactly; null when unset.</summary>
    public bool? Strict { get; init; }
}
