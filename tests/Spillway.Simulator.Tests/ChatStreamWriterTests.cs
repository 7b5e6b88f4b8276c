using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

public sealed class ChatStreamWriterTests
{
    [Fact]
    public void SplitWords_Sentence_KeepsLeadingSpacesAndJoinsBack()
    {
        var pieces = ChatStreamWriter.SplitWords("Hello from  the simulator.");

        Assert.Equal(["Hello", " from", "  the", " simulator."], pieces);
    }

    [Fact]
    public void BuildEvents_ToolArgumentsWithAstralCharacters_SplitsIntoValidPieces()
    {
        var arguments = "{\"text\":\"" + string.Concat(Enumerable.Repeat("😀", 10)) + "\"}";
        var reply = new ChatReply("chatcmpl-simx", 1, "m", SimulatorStyle.OpenAI, "p", null, new ToolCallPlan("f", arguments), "call_simx", 1, 1, IncludeUsage: false);

        var events = ChatStreamWriter.BuildEvents(reply);
        var joined = string.Concat(events
            .Where(streamEvent => streamEvent.Kind == StreamEventKind.Content)
            .Select(streamEvent => (string)JsonNode.Parse(streamEvent.Json)!["choices"]![0]!["delta"]!["tool_calls"]![0]!["function"]!["arguments"]!));

        Assert.Equal(arguments, joined);
        Assert.Equal(StreamEventKind.Role, events[0].Kind);
        Assert.Equal(StreamEventKind.Finish, events[^1].Kind);
    }

    [Fact]
    public void Malformed_Always_IsNotJson()
    {
        var reply = new ChatReply("chatcmpl-simx", 1, "m", SimulatorStyle.OpenAI, "p", "hi", null, "call_simx", 1, 1, IncludeUsage: false);

        Assert.False(SimulatorCalls.IsJson(System.Text.Encoding.UTF8.GetString(ChatStreamWriter.Malformed(reply))));
    }
}
