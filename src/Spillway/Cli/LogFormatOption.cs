using System.CommandLine;
using System.CommandLine.Parsing;
using Spillway.Hosting;

namespace Spillway.Cli;

/// <summary>
/// <c>serve --log-format console|json</c>: how log lines are written on stdout. Without the option,
/// <c>$SPILLWAY_LOG_FORMAT</c> when set (as <c>$SPILLWAY_DATA</c> stands in for <c>--data</c>), else <c>console</c>.
/// A value that is neither is a parse error with one line, given on the command line or in the variable.
/// </summary>
internal static class LogFormatOption
{
    /// <summary>The variable that sets the format when <c>--log-format</c> is not given.</summary>
    public const string Variable = "SPILLWAY_LOG_FORMAT";

    private const string Console = "console";
    private const string Json = "json";

    /// <summary>
    /// The option. Its value is the format's name as written in help (<c>console</c>, <c>json</c>), so help shows the
    /// default as a user types it; <see cref="FormatOf"/> turns it into the <see cref="LogFormat"/>.
    /// </summary>
    public static Option<string> Create()
    {
        var option = new Option<string>("--log-format")
        {
            Description = $"How log lines are written on stdout: {Console} (one readable line each) or {Json} (one JSON object per line; the banner goes to stderr). Default: ${Variable}, else {Console}.",
            HelpName = Console + "|" + Json,
            DefaultValueFactory = result => Parse(result, Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : Console, "$" + Variable),
            CustomParser = result => Parse(result, result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty, "--log-format"),
        };
        option.CompletionSources.Add(Console, Json);
        return option;
    }

    /// <summary>The format a parsed value of the option names.</summary>
    public static LogFormat FormatOf(string? value) => value == Json ? LogFormat.Json : LogFormat.Console;

    private static string Parse(ArgumentResult result, string value, string source)
    {
        if (string.Equals(value, Console, StringComparison.OrdinalIgnoreCase))
        {
            return Console;
        }

        if (string.Equals(value, Json, StringComparison.OrdinalIgnoreCase))
        {
            return Json;
        }

        result.AddError($"{source} takes {Console} or {Json} (got '{value}').");
        return Console;
    }
}
