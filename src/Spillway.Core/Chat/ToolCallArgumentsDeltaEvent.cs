namespace Spillway.Core.Chat;

/// <summary>More of a tool call's arguments: a fragment of JSON text, meaningful only once all are joined.</summary>
/// <param name="Index">The part's index.</param>
/// <param name="PartialJson">The fragment.</param>
public sealed record ToolCallArgumentsDeltaEvent(int Index, string PartialJson) : ChatStreamEvent;
