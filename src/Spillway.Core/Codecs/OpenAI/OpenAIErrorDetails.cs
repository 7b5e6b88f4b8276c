namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// The <c>error</c> object of an OpenAI-format error body or mid-stream error chunk, as far as it was given.
/// </summary>
/// <param name="Message"><c>error.message</c>.</param>
/// <param name="Type"><c>error.type</c>, or OpenRouter's <c>error.metadata.error_type</c> when there is no type.</param>
/// <param name="Code"><c>error.code</c> when it is a string (OpenAI: <c>"rate_limit_exceeded"</c>).</param>
/// <param name="Status">
/// An HTTP status carried in the body: OpenRouter's numeric <c>error.code</c> (<c>429</c>), or a string code that
/// is a status (<c>"429"</c>). Mid-stream the response status is already 200, so this is the only status there is.
/// </param>
/// <param name="Param"><c>error.param</c>.</param>
public sealed record OpenAIErrorDetails(string? Message, string? Type, string? Code, int? Status, string? Param);
