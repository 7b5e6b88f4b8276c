using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// A request for a JSON answer: <see cref="Schema"/> (raw JSON text) is what the answer must be an instance of,
/// or null for "any JSON object".
/// </summary>
internal sealed record StructuredOutput(string? Schema)
{
    /// <summary>The answer's text: a minimal instance of the schema, or <c>{"answer": replyText}</c> without one.</summary>
    public string Answer(string replyText)
    {
        if (Schema is null)
        {
            return SchemaInstance.AnswerObject(replyText);
        }

        using var document = JsonDocument.Parse(Schema);
        return SchemaInstance.Generate(document.RootElement);
    }

    /// <summary>Keeps <paramref name="schema"/> when it is a JSON object (a schema); otherwise asks for any JSON object.</summary>
    public static StructuredOutput From(JsonElement schema) =>
        new(schema.ValueKind == JsonValueKind.Object ? schema.GetRawText() : null);
}
