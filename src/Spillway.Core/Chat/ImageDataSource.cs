namespace Spillway.Core.Chat;

/// <summary>An image sent inline: an OpenAI <c>data:</c> URI or an Anthropic <c>base64</c> source.</summary>
/// <param name="MediaType">The media type, e.g. <c>image/png</c>.</param>
/// <param name="Base64Data">The image bytes in base64, without a <c>data:</c> prefix.</param>
public sealed record ImageDataSource(string MediaType, string Base64Data) : ImageSource;
