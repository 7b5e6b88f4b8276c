namespace Spillway.Core.Chat;

/// <summary>Reasoning the provider encrypted: opaque data to echo back unchanged.</summary>
/// <param name="Data">The encrypted data.</param>
public sealed record RedactedThinkingPart(string Data) : ChatContentPart;
