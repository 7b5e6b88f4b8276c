using System.Text;

namespace Spillway.Simulator.Tests;

public sealed class ChatRequestParserTests
{
    [Theory]
    [InlineData("", "InvalidJson")]
    [InlineData("[1,2]", "InvalidJson")]
    [InlineData("{\"messages\":[{}]}", "MissingModel")]
    [InlineData("{\"model\":\"\",\"messages\":[{}]}", "MissingModel")]
    [InlineData("{\"model\":7,\"messages\":[{}]}", "InvalidModelType")]
    [InlineData("{\"model\":\"m\"}", "MissingMessages")]
    [InlineData("{\"model\":\"m\",\"messages\":{}}", "InvalidMessagesType")]
    [InlineData("{\"model\":\"m\",\"messages\":[]}", "EmptyMessages")]
    public void Parse_InvalidBody_ReportsTheFirstProblemInOpenAIOrder(string body, string expected)
    {
        Assert.Equal(expected, ChatRequestParser.Parse(Encoding.UTF8.GetBytes(body)).Problem?.ToString());
    }

    [Fact]
    public void Parse_StreamingBody_ReadsStreamUsageAndPromptSize()
    {
        var messages = "[{\"role\":\"user\",\"content\":\"" + new string('x', 400) + "\"}]";
        var body = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":" + messages + "}";

        var request = ChatRequestParser.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Null(request.Problem);
        Assert.Equal("m", request.Model);
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.Equal((messages.Length + 3) / 4, request.PromptTokens);
        Assert.Null(request.ToolCall);
    }

    [Fact]
    public void Parse_IncludeUsageWithoutStream_IsIgnored()
    {
        var request = ChatRequestParser.Parse(Encoding.UTF8.GetBytes("{\"model\":\"m\",\"stream_options\":{\"include_usage\":true},\"messages\":[{}]}"));

        Assert.False(request.IncludeUsage);
    }

    [Theory]
    [InlineData("\"auto\"", "first")]
    [InlineData("\"required\"", "first")]
    [InlineData("{\"type\":\"function\",\"function\":{\"name\":\"second\"}}", "second")]
    [InlineData("\"none\"", null)]
    public void Parse_ToolChoice_PicksTheToolToCall(string toolChoice, string? expected)
    {
        var body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tool_choice\":" + toolChoice +
            ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"first\"}},{\"type\":\"function\",\"function\":{\"name\":\"second\"}}]}";

        Assert.Equal(expected, ChatRequestParser.Parse(Encoding.UTF8.GetBytes(body)).ToolCall?.Name);
    }

    [Fact]
    public void Parse_ToolResultLastButToolRequired_StillCallsATool()
    {
        var body = "{\"model\":\"m\",\"tool_choice\":\"required\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]," +
            "\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"c\",\"content\":\"1\"}]}";

        Assert.Equal("f", ChatRequestParser.Parse(Encoding.UTF8.GetBytes(body)).ToolCall?.Name);
    }
}
