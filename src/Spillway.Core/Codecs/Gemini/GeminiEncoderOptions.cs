namespace Spillway.Core.Codecs.Gemini;

/// <summary>What the Gemini model being called can take beyond the common ground of every Gemini model.</summary>
public sealed record GeminiEncoderOptions
{
    /// <summary>The defaults: only what every Gemini model accepts.</summary>
    public static GeminiEncoderOptions Default { get; } = new();

    /// <summary>
    /// True when the model fetches public https URLs given as <c>fileData.fileUri</c> itself (Gemini 3 models do;
    /// Gemini 2.x models accept only Files API and <c>gs://</c> URIs there). When false, an image given by such a
    /// URL is refused rather than sent to a model that would fail on it.
    /// </summary>
    public bool ExternalImageUrls { get; init; }
}
