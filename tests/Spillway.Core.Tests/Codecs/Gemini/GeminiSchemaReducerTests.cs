using System.Buffers;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Gemini;

namespace Spillway.Core.Tests.Codecs.Gemini;

public class GeminiSchemaReducerTests
{
    private static (byte[] Schema, IReadOnlyList<string> Dropped) Reduce(string jsonSchema)
    {
        var hints = new GeminiHints();
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var error = GeminiSchemaReducer.Write(writer, RawJson.FromString(jsonSchema), hints, "the tool 't'", "tools[0]");
            Assert.Null(error);
        }

        return (buffer.WrittenSpan.ToArray(), hints.Names);
    }

    private static ChatError Refuse(string jsonSchema)
    {
        using var writer = new Utf8JsonWriter(new ArrayBufferWriter<byte>());
        var error = GeminiSchemaReducer.Write(writer, RawJson.FromString(jsonSchema), new GeminiHints(), "the tool 't'", "tools[0]");
        Assert.NotNull(error);
        Assert.Equal("tools[0]", error.Param);
        return error;
    }

    [Fact]
    public void Reduce_TypicalToolSchema_UpperCaseTypesAndUnsupportedKeywordsDropped()
    {
        var (schema, dropped) = Reduce("""
            {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
             "properties":{"city":{"type":"string","description":"City name","examples":["Paris"],"minLength":1},
                           "days":{"type":"integer","minimum":1,"maximum":7,"default":1},
                           "tags":{"type":"array","items":{"type":"string"},"uniqueItems":true,"maxItems":3}},
             "required":["city"]}
            """);

        GeminiRecordings.AssertJsonEqual("""
            {"type":"OBJECT","properties":{"city":{"type":"STRING","description":"City name","minLength":1},
             "days":{"type":"INTEGER","minimum":1,"maximum":7,"default":1},
             "tags":{"type":"ARRAY","items":{"type":"STRING"},"maxItems":3}},"required":["city"]}
            """, schema);
        Assert.Equal(["schema.$schema", "schema.additionalProperties", "schema.examples", "schema.uniqueItems"], dropped);
    }

    [Fact]
    public void Reduce_NullInTypeListOrAnyOf_Nullable()
    {
        var (schema, dropped) = Reduce("""
            {"type":"object","properties":{
              "a":{"type":["string","null"]},
              "b":{"anyOf":[{"type":"integer","minimum":0},{"type":"null"}],"description":"Optional count"},
              "c":{"type":"string","enum":["x","y",null]}}}
            """);

        GeminiRecordings.AssertJsonEqual("""
            {"type":"OBJECT","properties":{
              "a":{"type":"STRING","nullable":true},
              "b":{"type":"INTEGER","minimum":0,"description":"Optional count","nullable":true},
              "c":{"type":"STRING","enum":["x","y"],"nullable":true}}}
            """, schema);
        Assert.Empty(dropped);
    }

    [Fact]
    public void Reduce_LocalRefs_InlinedWithSiblingsOnTop()
    {
        var (schema, dropped) = Reduce("""
            {"type":"object","$defs":{"Point":{"type":"object","properties":{"x":{"type":"number"},"y":{"type":"number"}},"description":"A point"}},
             "definitions":{"Unit":{"type":"string","enum":["m","km"]}},
             "properties":{"from":{"$ref":"#/$defs/Point"},"to":{"$ref":"#/$defs/Point","description":"Where to"},
                           "unit":{"$ref":"#/definitions/Unit"}}}
            """);

        GeminiRecordings.AssertJsonEqual("""
            {"type":"OBJECT","properties":{
              "from":{"type":"OBJECT","properties":{"x":{"type":"NUMBER"},"y":{"type":"NUMBER"}},"description":"A point"},
              "to":{"type":"OBJECT","properties":{"x":{"type":"NUMBER"},"y":{"type":"NUMBER"}},"description":"Where to"},
              "unit":{"type":"STRING","enum":["m","km"]}}}
            """, schema);
        Assert.Empty(dropped);
    }

    [Fact]
    public void Reduce_ConstOneOfAllOfAndFormats_Converted()
    {
        var (schema, dropped) = Reduce("""
            {"type":"object","properties":{
              "kind":{"const":"circle"},
              "level":{"type":"integer","enum":[1,2,3]},
              "shape":{"oneOf":[{"type":"string"},{"type":"number"}]},
              "when":{"type":"string","format":"date-time"},
              "site":{"type":"string","format":"uri"},
              "size":{"allOf":[{"type":"number","exclusiveMinimum":0}]}}}
            """);

        GeminiRecordings.AssertJsonEqual("""
            {"type":"OBJECT","properties":{
              "kind":{"enum":["circle"]},
              "level":{"type":"INTEGER"},
              "shape":{"anyOf":[{"type":"STRING"},{"type":"NUMBER"}]},
              "when":{"type":"STRING","format":"date-time"},
              "site":{"type":"STRING"},
              "size":{"type":"NUMBER"}}}
            """, schema);
        Assert.Equal(["schema.enum", "schema.oneOf", "schema.format", "schema.exclusiveMinimum"], dropped);
    }

    [Fact]
    public void Reduce_WhatGeminiCannotExpress_Refused()
    {
        Assert.Contains("recursive", Refuse("""
            {"$defs":{"Node":{"type":"object","properties":{"next":{"$ref":"#/$defs/Node"}}}},"$ref":"#/$defs/Node"}
            """).Message, StringComparison.Ordinal);
        Assert.Contains("https://example.com/s.json", Refuse("""{"$ref":"https://example.com/s.json"}""").Message, StringComparison.Ordinal);
        Assert.Contains("allOf", Refuse("""{"allOf":[{"type":"object"},{"required":["a"]}]}""").Message, StringComparison.Ordinal);
        Assert.Contains("string, number", Refuse("""{"type":["string","number"]}""").Message, StringComparison.Ordinal);
        Assert.Contains("list", Refuse("""{"type":"array","items":[{"type":"string"}]}""").Message, StringComparison.Ordinal);
        Assert.Contains("valid JSON", Refuse("""{"type":""").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reduce_SameDefinitionTwiceSideBySide_NotMistakenForRecursion()
    {
        var (schema, _) = Reduce("""
            {"$defs":{"S":{"type":"string"}},"type":"object","properties":{"a":{"$ref":"#/$defs/S"},"b":{"type":"array","items":{"$ref":"#/$defs/S"}}}}
            """);

        GeminiRecordings.AssertJsonEqual("""
            {"type":"OBJECT","properties":{"a":{"type":"STRING"},"b":{"type":"ARRAY","items":{"type":"STRING"}}}}
            """, schema);
    }

    [Fact]
    public void ExpandThenReduce_GeminiSchema_SurvivesTheRoundTrip()
    {
        const string Gemini = """
            {"type":"OBJECT","properties":{"a":{"type":"STRING","nullable":true,"format":"enum","enum":["x"]},
             "b":{"anyOf":[{"type":"INTEGER"},{"type":"STRING"}],"nullable":true},
             "c":{"type":"ARRAY","items":{"type":"NUMBER"},"minItems":"1"}},"required":["a"],"propertyOrdering":["a","b","c"]}
            """;

        var jsonSchema = GeminiSchemaExpander.ToJsonSchema(RawJson.FromString(Gemini));
        var (reduced, dropped) = Reduce(jsonSchema.ToString());

        GeminiRecordings.AssertJsonEqual("""
            {"type":"object","properties":{"a":{"type":["string","null"],"format":"enum","enum":["x"]},
             "b":{"anyOf":[{"type":"integer"},{"type":"string"},{"type":"null"}]},
             "c":{"type":"array","items":{"type":"number"},"minItems":"1"}},"required":["a"],"propertyOrdering":["a","b","c"]}
            """, jsonSchema.Utf8.ToArray());
        GeminiRecordings.AssertJsonEqual(Gemini, reduced);
        Assert.Empty(dropped);
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{}}""", true)]
    [InlineData("""{"type":"object"}""", true)]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}}}""", false)]
    [InlineData("""{"type":"string"}""", false)]
    public void IsEmptyObject_OnlyForObjectsWithoutProperties(string schema, bool expected) =>
        Assert.Equal(expected, GeminiSchemaReducer.IsEmptyObject(RawJson.FromString(schema)));
}
