namespace Spillway.Core.Chat;

/// <summary>
/// The model's visible reasoning. Providers that sign it (Anthropic) need it echoed back unchanged, signature
/// included, in a tool loop.
/// </summary>
/// <param name="Text">The reasoning text.</param>
/// <param name="Signature">The provider's signature over it, or null when it has none.</param>
public sealed record ThinkingPart(string Text, string? Signature = null) : ChatContentPart;
