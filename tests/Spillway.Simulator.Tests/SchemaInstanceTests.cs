using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

public sealed class SchemaInstanceTests
{
    private static JsonNode Generate(string schema)
    {
        using var document = JsonDocument.Parse(schema);
        return JsonNode.Parse(SchemaInstance.Generate(document.RootElement))!;
    }

    [Fact]
    public void Generate_ObjectWithRequired_FillsOnlyRequiredPropertiesWithTheirTypes()
    {
        var instance = Generate("""
            {"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"},"ratio":{"type":"number"},
             "ok":{"type":"boolean"},"skipped":{"type":"string"}},"required":["name","age","ratio","ok"]}
            """).AsObject();

        Assert.Equal(["name", "age", "ratio", "ok"], instance.Select(member => member.Key));
        Assert.Equal(SchemaInstance.Marker, (string?)instance["name"]);
        Assert.Equal(1, (int)instance["age"]!);
        Assert.Equal(JsonValueKind.Number, instance["ratio"]!.GetValueKind());
        Assert.True((bool)instance["ok"]!);
    }

    [Fact]
    public void Generate_NoRequiredList_FillsEveryProperty()
    {
        var instance = Generate("""{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"boolean"}}}""").AsObject();

        Assert.Equal(["a", "b"], instance.Select(member => member.Key));
    }

    [Fact]
    public void Generate_NumberBounds_RespectsMinimumAndMaximum()
    {
        var instance = Generate("""
            {"type":"object","properties":{"low":{"type":"integer","minimum":5},"high":{"type":"number","maximum":-2},
             "exclusive":{"type":"integer","exclusiveMinimum":7},"fraction":{"type":"integer","minimum":2.5}}}
            """);

        Assert.Equal(5, (int)instance["low"]!);
        Assert.Equal(-2, (int)instance["high"]!);
        Assert.Equal(8, (int)instance["exclusive"]!);
        Assert.Equal(3, (int)instance["fraction"]!);
    }

    [Fact]
    public void Generate_ArrayWithMinItems_HasThatManyValidItems()
    {
        var instance = Generate("""
            {"type":"object","properties":{"tags":{"type":"array","items":{"type":"string"},"minItems":2},
             "none":{"type":"array","items":{"type":"integer"}}}}
            """);

        Assert.Equal([SchemaInstance.Marker, SchemaInstance.Marker], instance["tags"]!.AsArray().Select(item => (string?)item));
        Assert.Empty(instance["none"]!.AsArray());
    }

    [Fact]
    public void Generate_EnumAndConst_TakeTheFirstValueAndTheConstant()
    {
        var instance = Generate("""
            {"type":"object","properties":{"mood":{"type":"string","enum":["happy","sad"]},"kind":{"const":"fixed"},"level":{"enum":[3,4]}}}
            """);

        Assert.Equal("happy", (string?)instance["mood"]);
        Assert.Equal("fixed", (string?)instance["kind"]);
        Assert.Equal(3, (int)instance["level"]!);
    }

    [Fact]
    public void Generate_NestedObjectsAndRefs_FollowsDefsAndDefinitions()
    {
        var instance = Generate("""
            {"type":"object","properties":{"address":{"$ref":"#/$defs/Address"},"owner":{"$ref":"#/definitions/Person"}},
             "required":["address","owner"],
             "$defs":{"Address":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"integer"}},"required":["city","zip"]}},
             "definitions":{"Person":{"type":"object","properties":{"name":{"type":"string"}}}}}
            """);

        Assert.Equal(SchemaInstance.Marker, (string?)instance["address"]!["city"]);
        Assert.Equal(1, (int)instance["address"]!["zip"]!);
        Assert.Equal(SchemaInstance.Marker, (string?)instance["owner"]!["name"]);
    }

    [Fact]
    public void Generate_AnyOfAndOneOf_TakeTheFirstNonNullBranch()
    {
        var instance = Generate("""
            {"type":"object","properties":{"maybe":{"anyOf":[{"type":"null"},{"type":"integer","minimum":4}]},
             "either":{"oneOf":[{"type":"boolean"},{"type":"string"}]},"nullable":{"type":["string","null"]}}}
            """);

        Assert.Equal(4, (int)instance["maybe"]!);
        Assert.True((bool)instance["either"]!);
        Assert.Equal(SchemaInstance.Marker, (string?)instance["nullable"]);
    }

    [Fact]
    public void Generate_GeminiUpperCaseTypes_AreUnderstood()
    {
        var instance = Generate("""
            {"type":"OBJECT","properties":{"recipe":{"type":"STRING"},"steps":{"type":"ARRAY","items":{"type":"STRING"},"minItems":"1"},
             "serves":{"type":"INTEGER"},"vegan":{"type":"BOOLEAN"}},"required":["recipe","steps","serves","vegan"]}
            """);

        Assert.Equal(SchemaInstance.Marker, (string?)instance["recipe"]);
        Assert.Single(instance["steps"]!.AsArray());
        Assert.Equal(1, (int)instance["serves"]!);
        Assert.True((bool)instance["vegan"]!);
    }

    [Fact]
    public void Generate_StringConstraints_FitLengthAndFormat()
    {
        var instance = Generate("""
            {"type":"object","properties":{"long":{"type":"string","minLength":20},"short":{"type":"string","maxLength":3},
             "when":{"type":"string","format":"date-time"}}}
            """);

        Assert.Equal(20, ((string)instance["long"]!).Length);
        Assert.Equal("sim", (string?)instance["short"]);
        Assert.True(DateTimeOffset.TryParse((string)instance["when"]!, System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public void Generate_RecursiveSchema_Terminates()
    {
        var instance = Generate("""
            {"$ref":"#/$defs/Node","$defs":{"Node":{"type":"object","properties":{"next":{"$ref":"#/$defs/Node"}}}}}
            """);

        Assert.Equal(JsonValueKind.Object, instance.GetValueKind());
    }

    [Fact]
    public void Generate_NoSchema_IsAnEmptyObject()
    {
        Assert.Equal("{}", SchemaInstance.Generate(default));
    }

    [Fact]
    public void GenerateObject_NonObjectSchema_IsStillAnObject()
    {
        using var schema = JsonDocument.Parse("""{"type":"string"}""");

        Assert.Equal("{}", SchemaInstance.GenerateObject(schema.RootElement));
    }

    [Fact]
    public void AnswerObject_Text_IsAnObjectCarryingIt()
    {
        Assert.Equal("a simulated reply", (string?)JsonNode.Parse(SchemaInstance.AnswerObject("a simulated reply"))!["answer"]);
    }
}
