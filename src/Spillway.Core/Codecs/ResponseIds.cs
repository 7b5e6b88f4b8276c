using System.Buffers;
using System.Security.Cryptography;

namespace Spillway.Core.Codecs;

/// <summary>
/// The response id a client sees, in its own format's shape: Anthropic's <c>msg_…</c>, OpenAI's <c>chatcmpl-…</c>,
/// whatever format the upstream answered in. An id already in that shape passes as is; another format's id keeps
/// its unique part under the client's prefix (<c>chatcmpl-abc</c> → <c>msg_abc</c>, <c>msg_abc</c> →
/// <c>chatcmpl-abc</c>, a Gemini <c>responseId</c> <c>xyz</c> → <c>msg_xyz</c>); a missing id, or one with
/// characters other than letters, digits, <c>_</c> and <c>-</c>, is replaced by a random one.
/// </summary>
public static class ResponseIds
{
    /// <summary>The prefix of an Anthropic message id.</summary>
    public const string AnthropicPrefix = "msg_";

    /// <summary>The prefix of an OpenAI chat completion id.</summary>
    public const string OpenAIPrefix = "chatcmpl-";

    /// <summary>The prefix of an OpenAI Responses response id.</summary>
    public const string ResponsesPrefix = "resp_";

    private const int MaxKeptLength = 128;
    private const int RandomLength = 24;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly SearchValues<char> IdCharacters = SearchValues.Create(Alphabet + "_-");

    /// <summary>The <c>msg_…</c> id an Anthropic client gets for an answer whose upstream id was <paramref name="upstreamId"/>.</summary>
    public static string ForAnthropic(string? upstreamId) => InShape(upstreamId, AnthropicPrefix, OpenAIPrefix);

    /// <summary>The <c>chatcmpl-…</c> id an OpenAI client gets for an answer whose upstream id was <paramref name="upstreamId"/>.</summary>
    public static string ForOpenAI(string? upstreamId) => InShape(upstreamId, OpenAIPrefix, AnthropicPrefix);

    /// <summary>
    /// The <c>resp_…</c> id an OpenAI Responses client gets for an answer whose upstream id was
    /// <paramref name="upstreamId"/> (<c>chatcmpl-abc</c> and <c>msg_abc</c> both become <c>resp_abc</c>).
    /// </summary>
    public static string ForResponses(string? upstreamId)
    {
        var foreign = upstreamId is not null && upstreamId.StartsWith(AnthropicPrefix, StringComparison.Ordinal)
            ? AnthropicPrefix
            : OpenAIPrefix;
        return InShape(upstreamId, ResponsesPrefix, foreign);
    }

    private static string InShape(string? id, string own, string foreign)
    {
        if (id is not null && id.Length > own.Length && id.StartsWith(own, StringComparison.Ordinal))
        {
            return id;
        }

        var rest = id.AsSpan();
        if (rest.StartsWith(own, StringComparison.Ordinal))
        {
            rest = rest[own.Length..];
        }
        else if (rest.StartsWith(foreign, StringComparison.Ordinal))
        {
            rest = rest[foreign.Length..];
        }

        return rest.IsEmpty || rest.Length > MaxKeptLength || rest.ContainsAnyExcept(IdCharacters)
            ? own + RandomNumberGenerator.GetString(Alphabet, RandomLength)
            : string.Concat(own, rest);
    }
}
