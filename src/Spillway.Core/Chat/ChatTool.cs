namespace Spillway.Core.Chat;

/// <summary>A function the model may call.</summary>
/// <param name="Name">The tool's name.</param>
/// <param name="Description">What it does, or null.</param>
/// <param name="InputSchema">
/// The JSON Schema of its arguments as raw bytes (OpenAI <c>parameters</c>, Anthropic <c>input_schema</c>), or
/// empty when none was given.
/// </param>
public sealed record ChatTool(string Name, string? Description, RawJson InputSchema)
{
    /// <summary>Whether arguments must match the schema exactly (<c>strict</c> in both formats); null when unset.</summary>
    public bool? Strict { get; init; }

    /// <summary>Vendor-only fields, such as Anthropic <c>cache_control</c> and <c>defer_loading</c>.</summary>
    public ChatExtensions Extensions { get; init; } = ChatExtensions.Empty;
}
