using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// A tool call scripted by a test (<see cref="SimulatedProvider.ToolCall"/>): the tool's name and its arguments as
/// JSON-object text, used instead of the first offered tool with arguments made from its schema.
/// </summary>
public sealed record SimulatedToolCall
{
    /// <summary>Creates a scripted tool call.</summary>
    /// <param name="name">The tool to call, e.g. <c>Read</c>.</param>
    /// <param name="arguments">The arguments as JSON-object text, e.g. <c>{"file_path":"/tmp/notes.txt"}</c>.</param>
    public SimulatedToolCall(string name, string arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(arguments);
        try
        {
            using var document = JsonDocument.Parse(arguments);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("Tool-call arguments must be a JSON object.", nameof(arguments));
            }
        }
        catch (JsonException error)
        {
            throw new ArgumentException("Tool-call arguments must be JSON: " + error.Message, nameof(arguments), error);
        }

        Name = name;
        Arguments = arguments;
    }

    /// <summary>The tool to call.</summary>
    public string Name { get; }

    /// <summary>The arguments, as JSON-object text.</summary>
    public string Arguments { get; }
}
