namespace Spillway.Core.Chat;

/// <summary>
/// A file sent inline in a user message (a PDF, a text file): a Responses <c>input_file</c> with <c>file_data</c>.
/// Each format carries it its own way (Chat Completions' <c>file</c> part, Anthropic's <c>document</c> block, Gemini's
/// <c>inlineData</c>); an upstream that cannot read its type refuses the request.
/// </summary>
/// <param name="MediaType">The media type, e.g. <c>application/pdf</c>.</param>
/// <param name="Base64Data">The file's bytes in base64, without a <c>data:</c> prefix.</param>
/// <param name="Filename">Its name, or null.</param>
public sealed record FilePart(string MediaType, string Base64Data, string? Filename) : ChatContentPart;
