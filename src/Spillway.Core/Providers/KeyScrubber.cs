using System.Text;
using System.Text.RegularExpressions;

namespace Spillway.Core.Providers;

/// <summary>
/// Masks credentials in text that came from an upstream (error messages, reasons) before it reaches a client, the
/// ledger, the admin API or a log: the key the gateway itself sent, and anything shaped like a key. Upstreams do
/// echo keys ("Incorrect API key provided: sk-…", a URL with <c>?key=</c>, a header dump).
/// </summary>
/// <remarks>
/// Three passes: the exact values given (the key just sent, even one with no recognisable shape); a key after
/// <c>Bearer</c>, after a secret-bearing query parameter (<c>key=</c>, <c>api_key=</c>, <c>access_token=</c>, …) or
/// after a key header name (<c>x-api-key:</c>); and every token that looks like a key on its own — a known vendor
/// prefix (<c>sk-</c>, <c>sk-ant-</c>, <c>gsk_</c>, <c>AIza</c>, <c>sk-or-v1-</c>, …) or a long run mixing letters and
/// digits (hex or base64 secrets). Ordinary words, ids shorter than 32 characters and URLs are kept.
/// </remarks>
public static partial class KeyScrubber
{
    /// <summary>What a masked value is replaced with.</summary>
    public const string Redacted = "[redacted]";

    // Prefixes of the key formats providers issue; a token starting with one is a key however short the rest.
    private static readonly string[] KeyPrefixes =
        ["sk-", "gsk_", "AIza", "xai-", "csk-", "nvapi-", "pplx-", "ghp_", "github_pat_", "hf_", "r8_", "eyJ"];

    // Long random tokens (Mistral's 32-character keys, hex secrets) carry no prefix. Ids in messages are shorter
    // than this (Groq's org_… ids are 30), and words or URL path segments have no digits.
    private const int AnonymousTokenLength = 32;
    private const int MinCharsAfterPrefix = 8;

    // A known value shorter than this is not looked for: it cannot be told from the words of a message.
    private const int MinKnownLength = 8;

    /// <summary>Replaces every key-shaped value in <paramref name="text"/> with <see cref="Redacted"/>.</summary>
    public static string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ScrubTokens(LabelledSecret().Replace(text, static m => m.Groups["label"].Value + Redacted));
    }

    /// <summary>
    /// As <see cref="Scrub(string)"/>, and first every occurrence of <paramref name="sent"/>'s value, also where the
    /// text was cut short inside it.
    /// </summary>
    public static string Scrub(string text, Secret? sent)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Scrub(sent is null ? text : ScrubKnown(text, sent.Reveal()));
    }

    private static string ScrubKnown(string text, string secret)
    {
        if (secret.Length < MinKnownLength)
        {
            return text;
        }

        text = text.Replace(secret, Redacted, StringComparison.Ordinal);

        // A message cut to a length limit ("… provided: sk-abc1…") may end inside the key.
        var end = text.EndsWith('\u2026') ? text.Length - 1 : text.Length;
        for (var length = Math.Min(secret.Length - 1, end); length >= 4; length--)
        {
            if (text.AsSpan(end - length, length).SequenceEqual(secret.AsSpan(0, length)))
            {
                return string.Concat(text.AsSpan(0, end - length), Redacted, text.AsSpan(end));
            }
        }

        return text;
    }

    private static string ScrubTokens(string text)
    {
        StringBuilder? output = null;
        var copiedUpTo = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!IsTokenChar(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && IsTokenChar(text[i]))
            {
                i++;
            }

            if (LooksLikeKey(text.AsSpan(start, i - start)))
            {
                output ??= new StringBuilder(text.Length);
                output.Append(text, copiedUpTo, start - copiedUpTo).Append(Redacted);
                copiedUpTo = i;
            }
        }

        return output is null ? text : output.Append(text, copiedUpTo, text.Length - copiedUpTo).ToString();
    }

    private static bool LooksLikeKey(ReadOnlySpan<char> token)
    {
        foreach (var prefix in KeyPrefixes)
        {
            if (token.StartsWith(prefix, StringComparison.Ordinal) && token.Length >= prefix.Length + MinCharsAfterPrefix)
            {
                return true;
            }
        }

        return token.Length >= AnonymousTokenLength
            && token.IndexOfAnyInRange('0', '9') >= 0
            && (token.IndexOfAnyInRange('a', 'z') >= 0 || token.IndexOfAnyInRange('A', 'Z') >= 0);
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    // "Bearer <token>", "?key=<value>" (and api_key, access_token, …), "x-api-key: <value>" (also as a JSON member):
    // the value is a secret whatever its shape, when it is long enough to be one and is not a plain word
    // ("Bearer authentication", "Bearer YOUR_KEY").
    [GeneratedRegex(
        """
        (?<label>(?i:
            \bBearer\s+
          | (?<![A-Za-z0-9_-])(?:key|api[_-]?key|access[_-]?token|token|secret|client[_-]?secret|password|sig|signature)=
          | \b(?:x-api-key|x-goog-api-key|api-key|authorization)["']?\s*[:=]\s*["']?(?!Bearer\b)
        ))
        (?=[^\s"'&<>\#,;)]{8})
        (?=[^\s"'&<>\#,;)]*?(?:[0-9]|[A-Z][^\s"'&<>\#,;)]*?[a-z]|[a-z][^\s"'&<>\#,;)]*?[A-Z]))
        [^\s"'&<>\#,;)]+
        """,
        RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex LabelledSecret();
}
