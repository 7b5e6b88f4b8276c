namespace Spillway.Core.Chat;

/// <summary>An image the provider fetches itself from an http(s) URL.</summary>
/// <param name="Url">The URL.</param>
public sealed record ImageUrlSource(string Url) : ImageSource;
