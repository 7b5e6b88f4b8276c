using System.Text;

namespace Spillway.Core.Routing.Classification;

/// <summary>
/// Builds <see cref="FailureClassification.Reason"/>: "provider: what happened - the upstream's own words", on
/// one line, at most <see cref="MaxLength"/> characters, with anything that looks like a secret replaced. Reasons
/// reach logs, the ledger and the admin API, and upstream messages do echo keys (invalid-key errors, URLs with
/// <c>?key=</c>).
/// </summary>
internal static class FailureReason
{
    public const int MaxLength = 200;
    public const string Redacted = "[redacted]";

    // Prefixes of the key formats Spillway's providers issue; a token starting with one is a key however short.
    private static readonly string[] KeyPrefixes =
        ["sk-", "gsk_", "AIza", "xai-", "csk-", "nvapi-", "pplx-", "ghp_", "github_pat_", "hf_", "r8_"];

    // Long random tokens (Mistral's 32-character keys, bearer tokens) carry no prefix. Ids in messages are shorter
    // than this (Groq's org_… ids are 30), and words or URL path segments have no digits.
    private const int AnonymousTokenLength = 32;
    private const int MinCharsAfterPrefix = 8;

    public static string Build(string providerId, string summary, string? detail)
    {
        var text = new StringBuilder(providerId.Length + summary.Length + 2 + (detail?.Length ?? 0) + 3);
        text.Append(providerId).Append(": ").Append(summary);
        if (!string.IsNullOrWhiteSpace(detail))
        {
            text.Append(" - ").Append(detail);
        }

        return Truncate(Scrub(CollapseWhitespace(text.ToString())));
    }

    /// <summary>Replaces every token that looks like a credential with <see cref="Redacted"/>.</summary>
    public static string Scrub(string text)
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

            if (LooksLikeSecret(text.AsSpan(start, i - start)))
            {
                output ??= new StringBuilder(text.Length);
                output.Append(text, copiedUpTo, start - copiedUpTo).Append(Redacted);
                copiedUpTo = i;
            }
        }

        return output is null ? text : output.Append(text, copiedUpTo, text.Length - copiedUpTo).ToString();
    }

    private static bool LooksLikeSecret(ReadOnlySpan<char> token)
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

    private static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static string Truncate(string text)
    {
        if (text.Length <= MaxLength)
        {
            return text;
        }

        var cut = MaxLength - 1;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "\u2026");
    }
}
