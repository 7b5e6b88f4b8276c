using System.Globalization;
using Spillway.Core.Providers.RateLimits;

namespace Spillway.Core.Failures.Classification;

/// <summary>
/// Facts that providers state only in the human text of an error: the limited dimension ("tokens per day (TPD)"),
/// the wait ("Please try again in 9m38.016s", "Please retry in 47.43s") and the limit ("Limit 12000", "limit: 0").
/// The phrasings are those of the recorded bodies in shared/fixtures.
/// </summary>
internal static class ErrorMessageHints
{
    private static readonly string[] WaitPhrases = ["try again in ", "retry in "];

    public static bool Contains(string? text, string phrase) =>
        text is not null && text.Contains(phrase, StringComparison.OrdinalIgnoreCase);

    public static bool ContainsAny(string? text, ReadOnlySpan<string> phrases)
    {
        foreach (var phrase in phrases)
        {
            if (Contains(text, phrase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The dimension from OpenAI/Groq wording, else from <c>error.type</c> ("tokens" / "requests").</summary>
    public static LimitDimension Dimension(string? message, string? type)
    {
        var window = RateLimitWindow.Unknown;
        var kind = LimitKind.Unknown;
        if (ContainsAny(message, ["(TPD)", "(RPD)"]) || Contains(message, "per day"))
        {
            window = RateLimitWindow.Day;
        }
        else if (ContainsAny(message, ["(TPM)", "(RPM)", "(ITPM)", "(OTPM)"]) || Contains(message, "per min"))
        {
            window = RateLimitWindow.Minute;
        }

        if (ContainsAny(message, ["(TPD)", "(TPM)", "(ITPM)", "(OTPM)", "tokens per"]))
        {
            kind = LimitKind.Tokens;
        }
        else if (ContainsAny(message, ["(RPD)", "(RPM)", "requests per"]))
        {
            kind = LimitKind.Requests;
        }
        else if (string.Equals(type, "tokens", StringComparison.OrdinalIgnoreCase))
        {
            kind = LimitKind.Tokens;
        }
        else if (string.Equals(type, "requests", StringComparison.OrdinalIgnoreCase))
        {
            kind = LimitKind.Requests;
        }

        return new LimitDimension(kind, window);
    }

    /// <summary>The wait in "Please try again in 18.642s." / "Please retry in 47.434392449s." / "in 20 seconds".</summary>
    public static bool TryReadWait(string? message, out TimeSpan wait)
    {
        wait = default;
        if (message is null)
        {
            return false;
        }

        foreach (var phrase in WaitPhrases)
        {
            var at = message.IndexOf(phrase, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && TryReadDurationAt(message.AsSpan(at + phrase.Length), out wait))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first number after "limit" ("Limit 12000,", "limit: 0,"), commas allowed; null when none.</summary>
    public static long? ReadLimit(string? message)
    {
        if (message is null)
        {
            return null;
        }

        for (var at = message.IndexOf("limit", StringComparison.OrdinalIgnoreCase);
             at >= 0;
             at = message.IndexOf("limit", at + 5, StringComparison.OrdinalIgnoreCase))
        {
            var rest = message.AsSpan(at + 5).TrimStart(' ');
            if (!rest.IsEmpty && rest[0] == ':')
            {
                rest = rest[1..].TrimStart(' ');
            }

            if (TryReadNumber(rest, out var limit))
            {
                return limit;
            }
        }

        return null;
    }

    /// <summary>Any "limit: 0" in the message (Gemini: the project has no quota for the model).</summary>
    public static bool HasZeroLimit(string? message)
    {
        if (message is null)
        {
            return false;
        }

        for (var at = message.IndexOf("limit:", StringComparison.OrdinalIgnoreCase);
             at >= 0;
             at = message.IndexOf("limit:", at + 6, StringComparison.OrdinalIgnoreCase))
        {
            if (TryReadNumber(message.AsSpan(at + 6).TrimStart(' '), out var limit) && limit == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A number with optional thousands separators at the start of the text ("40,000 input").</summary>
    public static bool TryReadNumber(ReadOnlySpan<char> text, out long number)
    {
        number = 0;
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (number > (long.MaxValue - 9) / 10)
                {
                    return false;
                }

                number = (number * 10) + (c - '0');
                digits++;
            }
            else if (c != ',' || digits == 0)
            {
                break;
            }
        }

        return digits > 0;
    }

    private static bool TryReadDurationAt(ReadOnlySpan<char> text, out TimeSpan wait)
    {
        var end = text.IndexOfAny(' ', '\n', '\t');
        var token = (end < 0 ? text : text[..end]).TrimEnd(".,;)");
        if (GoDuration.TryParse(token, out wait))
        {
            return wait >= TimeSpan.Zero;
        }

        // "in 20 seconds" / "in 2 minutes": a number and a unit word.
        if (end > 0 && double.TryParse(token, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            && double.IsFinite(amount) && amount < 1e7)
        {
            var unit = text[(end + 1)..].TrimStart(' ');
            if (unit.StartsWith("ms", StringComparison.OrdinalIgnoreCase) || unit.StartsWith("milli", StringComparison.OrdinalIgnoreCase))
            {
                wait = TimeSpan.FromMilliseconds(amount);
                return true;
            }

            if (unit.StartsWith("sec", StringComparison.OrdinalIgnoreCase))
            {
                wait = TimeSpan.FromSeconds(amount);
                return true;
            }

            if (unit.StartsWith("min", StringComparison.OrdinalIgnoreCase))
            {
                wait = TimeSpan.FromMinutes(amount);
                return true;
            }
        }

        wait = default;
        return false;
    }
}
