namespace Spillway.Core.Chat;

/// <summary>
/// One piece of a message's or a response's content. The derived records are the closed set of kinds every codec
/// must handle: <see cref="TextPart"/>, <see cref="ImagePart"/>, <see cref="ToolCallPart"/>,
/// <see cref="ToolResultPart"/>, <see cref="ThinkingPart"/>, <see cref="RedactedThinkingPart"/>, <see cref="OpaquePart"/>.
/// </summary>
public abstract record ChatContentPart
{
    /// <summary>Vendor-only hints on this part, such as Anthropic <c>cache_control</c> or OpenAI image <c>detail</c>.</summary>
    public ChatExtensions Extensions { get; init; } = ChatExtensions.Empty;
}
