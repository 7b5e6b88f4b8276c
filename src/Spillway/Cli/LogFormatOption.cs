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

    public static Option<LogFormat> Create()
    {
        var option = new Option<LogFormat>("--log-format")
        {
            Description = $"How log lines are written on stdout: {Console} (one readable line each) or {Json} (one JSON object per line; the banner goes to stderr). Default: ${Variable}, else {Console}.",
            HelpName = Console + "|" + Json,
            DefaultValueFactory = result => Parse(result, Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : Console, "$" + Variable),
            CustomParser = result => Parse(result, result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty, "--log-format"),
        };
        option.CompletionSources.Add(Console, Json);
        return option;
    }

    private static LogFormat Parse(ArgumentResult result, string value, string source)
    {
        if (string.Equals(value, Console, StringComparison.OrdinalIgnoreCase))
        {
            return LogFormat.Console;
        }

        if (string.Equals(value, Json, StringComparison.OrdinalIgnoreCase))
        {
            return LogFormat.Json;
        }

        result.AddError($"{source} takes {Console} or {Json} (got '{value}').");
        return LogFormat.Console;
    }
}
