namespace Spillway.Core.Chat;

/// <summary>The caller's constraint on tool use.</summary>
/// <param name="Mode">The constraint.</param>
/// <param name="Name">The tool's name when <paramref name="Mode"/> is <see cref="ToolChoiceMode.Named"/>.</param>
public sealed record ChatToolChoice(ToolChoiceMode Mode, string? Name = null);
