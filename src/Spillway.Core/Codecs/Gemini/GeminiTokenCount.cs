namespace Spillway.Core.Codecs.Gemini;

/// <summary>A <c>countTokens</c> answer.</summary>
/// <param name="TotalTokens">The prompt's tokens (<c>totalTokens</c>), cached content included.</param>
public sealed record GeminiTokenCount(long TotalTokens)
{
    /// <summary>Of those, the tokens of cached content (<c>cachedContentTokenCount</c>); 0 when none.</summary>
    public long CachedContentTokens { get; init; }
}
