using System.Text;
using Spillway.Core.Providers;

namespace Spillway.Core.Failures.Classification;

/// <summary>
/// Builds <see cref="FailureClassification.Reason"/>: "provider: what happened - the upstream's own words", on
/// one line, at most <see cref="MaxLength"/> characters, with anything that looks like a secret replaced
/// (<see cref="KeyScrubber"/>). Reasons reach logs, the ledger and the admin API, and upstream messages do echo keys
/// (invalid-key errors, URLs with <c>?key=</c>).
/// </summary>
internal static class FailureReason
{
    public const int MaxLength = 200;
    public const string Redacted = KeyScrubber.Redacted;

    public static string Build(string providerId, string summary, string? detail)
    {
        var text = new StringBuilder(providerId.Length + summary.Length + 2 + (detail?.Length ?? 0) + 3);
        text.Append(providerId).Append(": ").Append(summary);
        if (!string.IsNullOrWhiteSpace(detail))
        {
            text.Append(" - ").Append(detail);
        }

        return Truncate(KeyScrubber.Scrub(CollapseWhitespace(text.ToString())));
    }

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
