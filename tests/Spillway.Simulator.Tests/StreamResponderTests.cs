using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Spillway.Simulator.Tests;

public sealed class StreamResponderTests
{
    private static readonly HttpClient Client = new();

    [Fact]
    public async Task Stream_WithoutIncludeUsage_SendsRoleContentFinishAndDone()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body("gpt-4o", stream: true));
        var lines = await SimulatorCalls.SseLinesAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("spillway-simulator", SimulatorCalls.Header(response, "x-simulator"));
        Assert.Equal("[DONE]", lines[^1]);
        var chunks = lines.SkipLast(1).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.All(chunks, chunk => Assert.Equal("chat.completion.chunk", (string?)chunk["object"]));
        Assert.Single(chunks.Select(chunk => (string?)chunk["id"]).Distinct());
        Assert.All(chunks, chunk => Assert.Null(chunk["usage"]));

        var role = chunks[0]["choices"]![0]!["delta"]!;
        Assert.Equal("assistant", (string?)role["role"]);
        Assert.Equal(string.Empty, (string?)role["content"]);

        var content = chunks.Skip(1).SkipLast(1).Select(chunk => (string)chunk["choices"]![0]!["delta"]!["content"]!).ToList();
        Assert.True(content.Count >= 3, "The reply text should arrive in several pieces.");
        Assert.Equal(simulator["openai"].ReplyText, string.Concat(content));

        var finish = chunks[^1]["choices"]![0]!;
        Assert.Empty(finish["delta"]!.AsObject());
        Assert.Equal("stop", (string?)finish["finish_reason"]);
    }

    [Fact]
    public async Task Stream_WithIncludeUsage_SendsUsageChunkWithNoChoicesBeforeDone()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body(stream: true, includeUsage: true));
        var lines = await SimulatorCalls.SseLinesAsync(response);

        Assert.Equal("[DONE]", lines[^1]);
        var usageChunk = JsonNode.Parse(lines[^2])!;
        Assert.Empty(usageChunk["choices"]!.AsArray());
        var usage = usageChunk["usage"]!;
        Assert.Equal((int)usage["prompt_tokens"]! + (int)usage["completion_tokens"]!, (int)usage["total_tokens"]!);
        Assert.Equal("stop", (string?)JsonNode.Parse(lines[^3])!["choices"]![0]!["finish_reason"]);

        // Against the recorded stream: the same members on the first chunk and on the usage chunk.
        var recorded = await File.ReadAllLinesAsync(Spillway.TestSupport.Fixtures.PathOf("openai-chat-stream-text.sse"));
        var recordedData = recorded.Where(line => line.StartsWith("data: {", StringComparison.Ordinal)).Select(line => JsonNode.Parse(line[6..])).ToList();
        Assert.Empty(SimulatorCalls.MissingMembers(recordedData[0], JsonNode.Parse(lines[0])));
        Assert.Empty(SimulatorCalls.MissingMembers(recordedData[^1], usageChunk));
    }

    [Fact]
    public async Task Stream_WithTools_SendsIdAndNameFirstThenArgumentPieces()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        const string Tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\"," +
            "\"properties\":{\"query\":{\"type\":\"string\"},\"limit\":{\"type\":\"integer\"}}}}}]";

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body(stream: true, extraMembers: Tools));
        var lines = await SimulatorCalls.SseLinesAsync(response);

        var chunks = lines.SkipLast(1).Select(line => JsonNode.Parse(line)!).ToList();
        var first = chunks[0]["choices"]![0]!["delta"]!["tool_calls"]![0]!;
        Assert.Equal(0, (int)first["index"]!);
        Assert.StartsWith("call_", (string)first["id"]!, StringComparison.Ordinal);
        Assert.Equal("lookup", (string?)first["function"]!["name"]);
        var pieces = chunks.Skip(1).SkipLast(1).Select(chunk => chunk["choices"]![0]!["delta"]!["tool_calls"]![0]!).ToList();
        Assert.True(pieces.Count > 1);
        Assert.All(pieces, piece => Assert.Null(piece["id"]));
        var arguments = JsonNode.Parse(string.Concat(pieces.Select(piece => (string)piece["function"]!["arguments"]!)))!;
        Assert.Equal("simulated", (string?)arguments["query"]);
        Assert.Equal(1, (int)arguments["limit"]!);
        Assert.Equal("tool_calls", (string?)chunks[^1]["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public async Task Stream_OpenRouterStyle_AlwaysEndsWithUsage()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter)]);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openrouter"), SimulatorCalls.Body(stream: true));
        var lines = await SimulatorCalls.SseLinesAsync(response);

        Assert.NotNull(JsonNode.Parse(lines[^2])!["usage"]);
        Assert.Equal("Spillway Simulator", (string?)JsonNode.Parse(lines[0])!["provider"]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task Stream_FailMidStreamAbort_CutsTheConnectionAfterNContentEvents(int events)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        simulator["openai"].Enqueue(SimulatedFault.FailMidStream(events));

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body(stream: true));
        var received = new List<string>();
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);

        var failure = await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Length > 0)
                {
                    received.Add(line);
                }
            }
        });

        Assert.NotNull(failure);
        Assert.Equal(1 + events, received.Count);
        Assert.DoesNotContain("data: [DONE]", received);
    }

    [Fact]
    public async Task Stream_FailMidStreamAfterMoreEventsThanTheReplyHas_FailsBeforeTheFinishChunk()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai") { ReplyText = "Two words" }]);
        simulator["openai"].Enqueue(SimulatedFault.FailMidStream(100, MidStreamFailure.ErrorChunk));

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body(stream: true));
        var lines = await SimulatorCalls.SseLinesAsync(response);

        Assert.Equal(4, lines.Count);
        Assert.Equal("error", (string?)JsonNode.Parse(lines[^1])!["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public async Task Stream_FailMidStreamErrorChunk_SendsOpenRouterErrorChunkAndEnds()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter)]);
        simulator["openrouter"].Enqueue(SimulatedFault.FailMidStream(1, MidStreamFailure.ErrorChunk));

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openrouter"), SimulatorCalls.Body(stream: true));
        var lines = await SimulatorCalls.SseLinesAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, lines.Count);
        var errorChunk = JsonNode.Parse(lines[^1])!;
        var recorded = FixtureSamples.Sample("openrouter-error-samples.json", "mid-stream error chunk");
        var recordedChunk = JsonNode.Parse(((string)recorded["sse_line"]!)["data: ".Length..])!;
        Assert.Empty(SimulatorCalls.MissingMembers(recordedChunk, errorChunk));
        Assert.Equal(429, (int)errorChunk["error"]!["code"]!);
        Assert.Equal("error", (string?)errorChunk["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public async Task Stream_StreamWithoutDone_EndsAfterFinishWithoutDone()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        simulator["openai"].Enqueue(SimulatedFault.StreamWithoutDone());

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body(stream: true, includeUsage: true));
        var lines = await SimulatorCalls.SseLinesAsync(response);

        Assert.DoesNotContain("[DONE]", lines);
        Assert.NotNull(JsonNode.Parse(lines[^1])!["usage"]);
        Assert.Equal("stop", (string?)JsonNode.Parse(lines[^2])!["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public async Task Stream_KeepAliveComments_InterleavesOpenRouterProcessingComments()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter)]);
        simulator["openrouter"].Enqueue(SimulatedFault.KeepAliveComments());

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openrouter"), SimulatorCalls.Body(stream: true));
        var lines = await SimulatorCalls.SseLinesAsync(response);

        Assert.Equal(": OPENROUTER PROCESSING", lines[0]);
        var comments = lines.Count(line => line == ": OPENROUTER PROCESSING");
        var events = lines.Count(line => !line.StartsWith(':'));
        Assert.Equal(events, comments);
        Assert.Equal("[DONE]", lines[^1]);
    }

    [Fact]
    public async Task Stream_MalformedEvent_SendsExactlyOneUnparsableDataLine()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai")]);
        simulator["openai"].Enqueue(SimulatedFault.MalformedEvent());

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body(stream: true));
        var lines = await SimulatorCalls.SseLinesAsync(response);

        var data = lines.SkipLast(1).ToList();
        Assert.Single(data, line => !SimulatorCalls.IsJson(line));
        Assert.False(SimulatorCalls.IsJson(data[1]));
        Assert.Equal("[DONE]", lines[^1]);
    }

    [Fact]
    public async Task Stream_WithEventDelay_WaitsOnTheInjectedClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var provider = new SimulatedProvider("openai") { StreamEventDelay = TimeSpan.FromSeconds(10) };
        await using var simulator = await ProviderSimulator.StartAsync([provider], time);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), SimulatorCalls.Body(stream: true));
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);

        var first = await reader.ReadLineAsync();
        Assert.StartsWith("data: {", first, StringComparison.Ordinal);
        Assert.Equal(string.Empty, await reader.ReadLineAsync());
        var second = reader.ReadLineAsync();
        await Task.Delay(200);
        Assert.False(second.IsCompleted, "The next event must wait for the simulated clock.");

        time.Advance(TimeSpan.FromSeconds(10));

        Assert.StartsWith("data: {", await second.WaitAsync(TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
    }
}
