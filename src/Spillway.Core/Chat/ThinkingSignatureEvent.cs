namespace Spillway.Core.Chat;

/// <summary>The signature of a thinking part, sent once its text is complete.</summary>
/// <param name="Index">The part's index.</param>
/// <param name="Signature">The signature.</param>
public sealed record ThinkingSignatureEvent(int Index, string Signature) : ChatStreamEvent;
