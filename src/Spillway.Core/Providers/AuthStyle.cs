namespace Spillway.Core.Providers;

/// <summary>How an upstream expects the key.</summary>
public enum AuthStyle
{
    /// <summary><c>Authorization: Bearer KEY</c> (OpenAI and every OpenAI-compatible host).</summary>
    Bearer,

    /// <summary><c>x-api-key: KEY</c> (Anthropic).</summary>
    XApiKey,

    /// <summary><c>x-goog-api-key: KEY</c> (Gemini native).</summary>
    XGoogApiKey,
}
