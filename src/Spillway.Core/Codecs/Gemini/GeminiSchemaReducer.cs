using System.Text.Json;
using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Reduces a JSON Schema (OpenAI <c>parameters</c>, Anthropic <c>input_schema</c>, a <c>json_schema</c> response
/// format) to the OpenAPI subset Gemini's <c>Schema</c> accepts (generativelanguage v1beta: <c>type</c>,
/// <c>format</c>, <c>title</c>, <c>description</c>, <c>nullable</c>, <c>enum</c>, <c>items</c>,
/// <c>properties</c>, <c>required</c>, <c>propertyOrdering</c>, <c>anyOf</c>, <c>min/maxItems</c>,
/// <c>min/maxLength</c>, <c>min/maxProperties</c>, <c>minimum</c>, <c>maximum</c>, <c>pattern</c>,
/// <c>default</c>, <c>example</c>). Gemini rejects a request with any other field, so nothing else may pass.
/// </summary>
/// <remarks>
/// The rules, in order:
/// <list type="number">
/// <item><c>$ref</c> to a definition of the same schema (<c>#/$defs/X</c>, <c>#/definitions/X</c>, any local
/// JSON pointer) is inlined, its siblings laid over it; a recursive or non-local <c>$ref</c> is refused, since
/// Gemini's schema has no references.</item>
/// <item><c>allOf</c> of one schema is inlined; of several, refused.</item>
/// <item><c>oneOf</c> becomes <c>anyOf</c> (reported as <c>schema.oneOf</c>: "exactly one" loosens to "any").
/// A <c>{"type":"null"}</c> branch becomes <c>nullable: true</c>; a single branch left is inlined.</item>
/// <item><c>type</c> is upper-cased (<c>OBJECT</c>); a type list with <c>"null"</c> becomes the other type plus
/// <c>nullable: true</c>; a list of several other types is refused.</item>
/// <item><c>const</c> of a string becomes an <c>enum</c> of one; <c>enum</c> keeps strings (a <c>null</c> member
/// becomes <c>nullable</c>). Gemini's enums hold strings only, so a non-string <c>enum</c> or <c>const</c> is
/// left out and reported.</item>
/// <item><c>format</c> is kept only for what the Gemini API accepts (<c>enum</c>, <c>date-time</c>, <c>int32</c>,
/// <c>int64</c>, <c>float</c>, <c>double</c>); others are left out and reported.</item>
/// <item><c>$defs</c>/<c>definitions</c> are consumed by rule 1. Every other keyword (<c>$schema</c>,
/// <c>additionalProperties</c>, <c>examples</c>, <c>multipleOf</c>, <c>uniqueItems</c>,
/// <c>exclusiveMinimum</c>, <c>not</c>, <c>if</c>, …) only narrows or annotates: it is left out and reported as
/// <c>schema.{keyword}</c>.</item>
/// <item><c>items</c> given as a list (tuple form) or a <c>false</c> schema is refused; nesting deeper than
/// 48 levels is refused.</item>
/// </list>
/// </remarks>
internal sealed partial class GeminiSchemaReducer
{
    private const int MaxDepth = 48;

    private static readonly string[] Formats = ["enum", "date-time", "int32", "int64", "float", "double"];
    private static readonly string[] Types = ["string", "number", "integer", "boolean", "array", "object"];
    private static readonly string[] Copied =
    [
        "title", "description", "required", "propertyOrdering", "minItems", "maxItems", "minLength", "maxLength",
        "minProperties", "maxProperties", "minimum", "maximum", "pattern", "default", "example",
    ];

    private readonly JsonElement _root;
    private readonly GeminiHints _hints;
    private readonly string _where;
    private readonly string? _param;
    private readonly List<string> _refs = [];

    private GeminiSchemaReducer(JsonElement root, GeminiHints hints, string where, string? param)
    {
        _root = root;
        _hints = hints;
        _where = where;
        _param = param;
    }

    /// <summary>Writes <paramref name="schema"/> reduced, as the current property's value, or returns the refusal.</summary>
    /// <param name="writer">Where the Gemini schema goes.</param>
    /// <param name="schema">The JSON Schema.</param>
    /// <param name="hints">Collects the keywords left out.</param>
    /// <param name="where">Names the schema's owner in a refusal (<c>the tool 'get_weather'</c>).</param>
    /// <param name="param">The request field at fault, for the refusal.</param>
    public static ChatError? Write(Utf8JsonWriter writer, RawJson schema, GeminiHints hints, string where, string? param)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(schema.Utf8);
        }
        catch (JsonException)
        {
            return ChatError.InvalidRequest($"The schema of {where} is not valid JSON.", param);
        }

        using (document)
        {
            return new GeminiSchemaReducer(document.RootElement, hints, where, param)
                .WriteSchema(writer, document.RootElement, 0);
        }
    }

    /// <summary>
    /// True for an object schema with no properties (a tool without arguments). Gemini refuses an <c>OBJECT</c>
    /// with empty <c>properties</c>, so such a tool is declared without <c>parameters</c>.
    /// </summary>
    public static bool IsEmptyObject(RawJson schema)
    {
        try
        {
            using var document = JsonDocument.Parse(schema.Utf8);
            var reducer = new GeminiSchemaReducer(document.RootElement, new GeminiHints(), string.Empty, null);
            var bag = new GeminiSchemaBag();
            if (reducer.Flatten(document.RootElement, bag, 0) is not null)
            {
                return false;
            }

            return bag.TryGet("type", out var type) && type.ValueKind == JsonValueKind.String
                && type.ValueEquals("object")
                && (!bag.TryGet("properties", out var properties)
                    || (properties.ValueKind == JsonValueKind.Object && !properties.EnumerateObject().Any()))
                && !bag.Has("anyOf") && !bag.Has("oneOf");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private ChatError? WriteSchema(Utf8JsonWriter writer, JsonElement schema, int depth)
    {
        var refsBefore = _refs.Count;
        try
        {
            var bag = new GeminiSchemaBag();
            var error = Flatten(schema, bag, depth);
            if (error is not null)
            {
                return error;
            }

            var nullable = false;
            List<JsonElement>? branches = null;
            (bag, branches, error) = FoldBranches(bag, ref nullable, depth);
            return error ?? WriteBag(writer, bag, branches, nullable, depth);
        }
        finally
        {
            _refs.RemoveRange(refsBefore, _refs.Count - refsBefore);
        }
    }

    private ChatError? Flatten(JsonElement schema, GeminiSchemaBag bag, int depth)
    {
        if (depth > MaxDepth)
        {
            return Fail($"nests deeper than {MaxDepth} levels");
        }

        if (schema.ValueKind == JsonValueKind.True)
        {
            return null;
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            return Fail("holds a schema that is not an object (false, or a scalar)");
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            var text = reference.ValueKind == JsonValueKind.String ? reference.GetString()! : reference.GetRawText();
            if (!TryResolve(text, out var target))
            {
                return Fail($"refers to '{text}', which is not a definition inside the same schema");
            }

            if (_refs.Contains(text))
            {
                return Fail($"is recursive through '{text}'");
            }

            _refs.Add(text);
            var error = Flatten(target, bag, depth + 1);
            if (error is not null)
            {
                return error;
            }
        }

        if (schema.TryGetProperty("allOf", out var allOf))
        {
            if (allOf.ValueKind != JsonValueKind.Array || allOf.GetArrayLength() != 1)
            {
                return Fail("combines several schemas with allOf");
            }

            var error = Flatten(allOf[0], bag, depth + 1);
            if (error is not null)
            {
                return error;
            }
        }

        foreach (var property in schema.EnumerateObject())
        {
            if (property.Name is not "$ref" and not "allOf")
            {
                bag.Set(property.Name, property.Value);
            }
        }

        return null;
    }

    private (GeminiSchemaBag Bag, List<JsonElement>? Branches, ChatError? Error) FoldBranches(
        GeminiSchemaBag bag, ref bool nullable, int depth)
    {
        while (true)
        {
            var key = bag.Has("anyOf") ? "anyOf" : bag.Has("oneOf") ? "oneOf" : null;
            if (key is null)
            {
                return (bag, null, null);
            }

            if (bag.Has("anyOf") && bag.Has("oneOf"))
            {
                return (bag, null, Fail("has both anyOf and oneOf"));
            }

            bag.TryGet(key, out var list);
            bag.Remove(key);
            if (list.ValueKind != JsonValueKind.Array)
            {
                return (bag, null, Fail($"has a {key} that is not a list"));
            }

            if (key == "oneOf")
            {
                _hints.Add("schema.oneOf");
            }

            var kept = new List<JsonElement>();
            foreach (var branch in list.EnumerateArray())
            {
                if (IsNullSchema(branch))
                {
                    nullable = true;
                }
                else
                {
                    kept.Add(branch);
                }
            }

            if (kept.Count != 1)
            {
                return (bag, kept.Count == 0 ? null : kept, null);
            }

            // One branch left (the usual Optional[X]): inline it, the outer keywords (description) winning.
            var inner = new GeminiSchemaBag();
            var error = Flatten(kept[0], inner, depth + 1);
            if (error is not null)
            {
                return (bag, null, error);
            }

            inner.Overlay(bag);
            bag = inner;
        }
    }

    private bool TryResolve(string reference, out JsonElement target)
    {
        target = _root;
        if (!reference.StartsWith('#'))
        {
            return false;
        }

        var pointer = reference[1..];
        if (pointer.Length == 0)
        {
            return true;
        }

        if (!pointer.StartsWith('/'))
        {
            return false;
        }

        foreach (var raw in pointer[1..].Split('/'))
        {
            var segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal)
                .Replace("~0", "~", StringComparison.Ordinal);
            if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty(segment, out target))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNullSchema(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object
        && schema.TryGetProperty("type", out var type)
        && type.ValueKind == JsonValueKind.String
        && type.ValueEquals("null");

    private ChatError Fail(string reason) =>
        ChatError.InvalidRequest($"The schema of {_where} {reason}, which Gemini's schema cannot express.", _param);
}
