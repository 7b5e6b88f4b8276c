using System.Text.Json;
using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

public sealed class ToolArgumentsTests
{
    [Fact]
    public void FromSchema_RequiredProperties_FillsOnlyThoseWithTheirTypes()
    {
        using var schema = JsonDocument.Parse("""
            {"type":"object","properties":{
              "name":{"type":"string"},"count":{"type":"integer"},"ratio":{"type":"number"},"ok":{"type":"boolean"},
              "tags":{"type":"array"},"extra":{"type":"object"},"maybe":{"type":["null","string"]},"optional":{"type":"string"}},
             "required":["name","count","ratio","ok","tags","extra","maybe"]}
            """);

        var arguments = JsonNode.Parse(ToolArguments.FromSchema(schema.RootElement))!.AsObject();

        Assert.Equal(["name", "count", "ratio", "ok", "tags", "extra", "maybe"], arguments.Select(member => member.Key));
        Assert.Equal("simulated", (string?)arguments["name"]);
        Assert.Equal(1, (int)arguments["count"]!);
        Assert.True((bool)arguments["ok"]!);
        Assert.Empty(arguments["tags"]!.AsArray());
        Assert.Equal("simulated", (string?)arguments["maybe"]);
    }

    [Fact]
    public void FromSchema_NoSchema_IsAnEmptyObject()
    {
        Assert.Equal("{}", ToolArguments.FromSchema(default));
    }

    [Fact]
    public void FromSchema_NoRequiredList_FillsEveryProperty()
    {
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"a":{"type":"string"},"b":{"enum":[3,4]}}}""");

        Assert.Equal("{\"a\":\"simulated\",\"b\":3}", ToolArguments.FromSchema(schema.RootElement));
    }
}
