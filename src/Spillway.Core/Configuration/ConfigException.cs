using System.Globalization;
using System.Text;

namespace Spillway.Core.Configuration;

/// <summary>
/// A configuration that cannot be used. <see cref="Exception.Message"/> is one line meant for a terminal:
/// <c>spillway.yaml:12:7: providers[1].format: unknown format 'opneai' (expected openai, anthropic, gemini or openai-responses)</c>.
/// It never contains a secret: values of <c>value</c>, <c>admin_token</c> and of variables named by <c>env</c>
/// are masked before the message is built.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message)
        : base(message)
    {
    }

    public ConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ConfigException(string file, int? line, int? column, string? fieldPath, string problem, Exception? innerException = null)
        : base(Format(file, line, column, fieldPath, problem), innerException)
    {
        File = file;
        Line = line;
        Column = column;
        FieldPath = string.IsNullOrEmpty(fieldPath) ? null : fieldPath;
        Problem = problem;
    }

    /// <summary>The file (as it was named to the loader), <c>environment</c>, or null when not known.</summary>
    public string? File { get; }

    /// <summary>1-based line of the offending node, where known.</summary>
    public int? Line { get; }

    /// <summary>1-based column of the offending node, where known.</summary>
    public int? Column { get; }

    /// <summary>The field in config terms, e.g. <c>providers[1].keys[0].env</c>; null for file-level problems.</summary>
    public string? FieldPath { get; }

    /// <summary>What is wrong, without the location prefix.</summary>
    public string? Problem { get; }

    private static string Format(string file, int? line, int? column, string? fieldPath, string problem)
    {
        var text = new StringBuilder(file);
        if (line is { } l)
        {
            text.Append(CultureInfo.InvariantCulture, $":{l}");
            if (column is { } c)
            {
                text.Append(CultureInfo.InvariantCulture, $":{c}");
            }
        }

        text.Append(": ");
        if (!string.IsNullOrEmpty(fieldPath))
        {
            text.Append(fieldPath).Append(": ");
        }

        // One line, always: a multi-line YAML message or a value with a newline must not break the terminal format.
        text.Append(problem.ReplaceLineEndings(" "));
        return text.ToString();
    }
}
