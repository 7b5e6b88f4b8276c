namespace Spillway.Core.Chat;

/// <summary>A call of a tool by the assistant.</summary>
/// <param name="Id">The call id the result refers back to (<c>call_…</c>, <c>toolu_…</c>).</param>
/// <param name="Name">The tool's name.</param>
/// <param name="ArgumentsJson">
/// The arguments as raw JSON text (an object), exactly as the model produced them; an empty string when the model
/// produced none.
/// </param>
public sealed record ToolCallPart(string Id, string Name, string ArgumentsJson) : ChatContentPart;
