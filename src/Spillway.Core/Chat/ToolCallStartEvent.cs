namespace Spillway.Core.Chat;

/// <summary>A tool call part opens.</summary>
/// <param name="Index">The part's index.</param>
/// <param name="Id">The call id.</param>
/// <param name="Name">The tool's name.</param>
public sealed record ToolCallStartEvent(int Index, string Id, string Name) : ChatStreamEvent;
