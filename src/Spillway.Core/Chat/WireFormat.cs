namespace Spillway.Core.Chat;

/// <summary>The wire format an upstream speaks (and a client may speak). A vendor is a profile of one of these.</summary>
public enum WireFormat
{
    OpenAI,
    Anthropic,
    Gemini,
}
