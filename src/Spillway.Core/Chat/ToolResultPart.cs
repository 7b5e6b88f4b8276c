namespace Spillway.Core.Chat;

/// <summary>The result of one tool call, sent back by the caller.</summary>
/// <param name="ToolCallId">The <see cref="ToolCallPart.Id"/> this answers.</param>
/// <param name="Content">The result: text and images.</param>
/// <param name="IsError">True when the tool failed and the content describes the failure.</param>
public sealed record ToolResultPart(string ToolCallId, IReadOnlyList<ChatContentPart> Content, bool IsError = false)
    : ChatContentPart;
