using static Spillway.Tests.Endpoints.OpenAIEndpointsFallbackTests;
using System.Net;
using System.Text.Json;
using Spillway.Core.Engine;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>Streaming through the gateway: fallback before the commit point, honest endings after it.</summary>
public sealed class OpenAIEndpointsStreamingTests
{
    private static SimulatedProvider[] ThreeProviders() =>
    [
        new("groq", SimulatorStyle.Groq),
        new("openrouter", SimulatorStyle.OpenRouter),
        new("openai", SimulatorStyle.OpenAI),
    ];

    [Fact]
    public async Task Stream_FirstTwoRateLimited_ThirdStreamsAndNextRequestSkipsThem()
    {
        await using var gateway = await TestGateway.StartAsync(ThreeProviders());
        gateway["groq"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));
        gateway["openrouter"].Enqueue(SimulatedFault.QuotaExhausted());

        using var first = await gateway.ChatAsync("chain", stream: true);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/event-stream", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal("3", Header(first, SpillwayHeaders.Attempts));
        Assert.Equal("openai/gpt-4o-mini", Header(first, SpillwayHeaders.Route));
        var events = await Sse.DataOfAsync(first);
        Assert.Equal("[DONE]", events[^1]);
        Assert.Contains("simulated", Text(events), StringComparison.OrdinalIgnoreCase);

        using var second = await gateway.ChatAsync("chain", stream: true);

        Assert.Equal("1", Header(second, SpillwayHeaders.Attempts));
        Assert.Equal(1, gateway["groq"].CallCount);
        Assert.Equal(1, gateway["openrouter"].CallCount);
    }

    [Fact]
    public async Task Stream_ClientDidNotAskForUsage_UsageIsFetchedForTheLedgerButHidden()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);

        using var response = await gateway.ChatAsync("openai/gpt-4o-mini", stream: true);
        var events = await Sse.DataOfAsync(response);

        Assert.DoesNotContain(events, e => e.Contains("\"usage\":{", StringComparison.Ordinal));
        using var sent = JsonDocument.Parse(gateway["openai"].Calls.Single().Body);
        Assert.True(sent.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        var ledger = await gateway.LedgerAsync(1);
        Assert.True(ledger[0].GetProperty("usage").GetProperty("output_tokens").GetInt64() > 0);
        Assert.True(ledger[0].GetProperty("ttft_ms").GetDouble() >= 0);
        Assert.True(ledger[0].GetProperty("stream").GetBoolean());
    }

    [Fact]
    public async Task Stream_ClientAskedForUsage_GetsTheUsageChunk()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);

        using var response = await gateway.ChatAsync("openai/gpt-4o-mini", stream: true, includeUsage: true);
        var events = await Sse.DataOfAsync(response);

        var usageChunk = events.Single(e => e.Contains("\"usage\":{", StringComparison.Ordinal));
        using var chunk = JsonDocument.Parse(usageChunk);
        Assert.Equal(0, chunk.RootElement.GetProperty("choices").GetArrayLength());
    }

    [Fact]
    public async Task Stream_FailsMidwayAndTheFallbackAnswersSomethingElse_EndsWithAnErrorEventAndNoDone()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openai"), new SimulatedProvider("backup") { ReplyText = "Another answer entirely, from the backup." }]);
        gateway["openai"].Enqueue(SimulatedFault.FailMidStream(2));

        using var response = await gateway.ChatAsync("openai/gpt-4o-mini", stream: true, extra: ",\"models\":[\"backup/gpt-4o-mini\"]");
        var events = await Sse.DataOfAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("[DONE]", events);
        using var last = JsonDocument.Parse(events[^1]);
        Assert.Equal("upstream_error", last.RootElement.GetProperty("error").GetProperty("type").GetString());

        // Bytes had reached the client: the backup was asked for the whole answer, which began otherwise, so none
        // of it was sent.
        Assert.Equal(1, gateway["backup"].CallCount);
        Assert.DoesNotContain(events, e => e.Contains("backup", StringComparison.Ordinal));
        var ledger = await gateway.LedgerAsync(1);
        Assert.Equal(JsonValueKind.String, ledger[0].GetProperty("error").ValueKind);
        Assert.Equal("continuation_mismatch", ledger[0].GetProperty("attempts")[1].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Stream_ErrorChunkMidway_EndsWithAnErrorEventAndNoDone()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter)]);
        gateway["openrouter"].Enqueue(SimulatedFault.FailMidStream(2, MidStreamFailure.ErrorChunk));

        using var response = await gateway.ChatAsync("chain", stream: true);
        var events = await Sse.DataOfAsync(response);

        Assert.DoesNotContain("[DONE]", events);
        Assert.Contains("\"error\"", events[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_BreaksBeforeAnyContentOnAPaidKey_FallsBackWithoutARetryThatCouldBillTwice()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai"), new SimulatedProvider("backup")]);
        gateway["openai"].EnqueueMany(SimulatedFault.FailMidStream(0), SimulatedFault.FailMidStream(0));

        using var response = await gateway.ChatAsync("chain", stream: true);
        var events = await Sse.DataOfAsync(response);

        Assert.Equal("backup/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        Assert.Equal("2", Header(response, SpillwayHeaders.Attempts));
        Assert.Equal("[DONE]", events[^1]);
        Assert.Single(events, e => e.Contains("\"role\"", StringComparison.Ordinal));
        var ledger = await gateway.LedgerAsync(1);
        Assert.Equal(["connection_failed", "ok"], Outcomes(ledger[0]));
    }

    [Fact]
    public async Task Stream_ErrorChunkBeforeAnyContent_FallsBackToTheNextStep()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter), new SimulatedProvider("backup")]);
        gateway["openrouter"].Enqueue(SimulatedFault.FailMidStream(0, MidStreamFailure.ErrorChunk));

        using var response = await gateway.ChatAsync("chain", stream: true);
        var events = await Sse.DataOfAsync(response);

        Assert.Equal("backup/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        Assert.DoesNotContain(events, e => e.Contains("\"error\"", StringComparison.Ordinal));
        Assert.Equal("[DONE]", events[^1]);
    }

    [Fact]
    public async Task Stream_WithoutDone_TheClientStillGetsACompleteStream()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);
        gateway["openai"].Enqueue(SimulatedFault.StreamWithoutDone());

        using var response = await gateway.ChatAsync("chain", stream: true);
        var events = await Sse.DataOfAsync(response);

        Assert.Equal("[DONE]", events[^1]);
        Assert.Contains("simulated", Text(events), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Stream_KeepAliveCommentsAndMalformedEvents_AreNotPassedOn()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);
        gateway["openai"].EnqueueMany(SimulatedFault.KeepAliveComments(), SimulatedFault.MalformedEvent());

        using var withComments = await gateway.ChatAsync("chain", stream: true);
        var raw = await withComments.Content.ReadAsStringAsync();
        using var withMalformed = await gateway.ChatAsync("chain", stream: true);
        var events = await Sse.DataOfAsync(withMalformed);

        Assert.DoesNotContain(": OPENROUTER PROCESSING", raw, StringComparison.Ordinal);
        Assert.Contains("data: [DONE]", raw, StringComparison.Ordinal);
        foreach (var data in events.Where(e => e != "[DONE]"))
        {
            using var _ = JsonDocument.Parse(data);
        }
    }

    [Fact]
    public async Task Stream_UpstreamSilentBeforeHeaders_TimesOutAndMovesOn()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openai"), new SimulatedProvider("backup")],
            (_, config) => config with { Timeouts = config.Timeouts with { FirstToken = TimeSpan.FromMilliseconds(400) } });
        gateway["openai"].Enqueue(SimulatedFault.HangBeforeHeaders());

        using var response = await gateway.ChatAsync("chain", stream: true);

        Assert.Equal("backup/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        var ledger = await gateway.LedgerAsync(1);
        Assert.Equal(["timeout", "ok"], Outcomes(ledger[0]));
    }

    private static string Text(List<string> events)
    {
        var text = new System.Text.StringBuilder();
        foreach (var data in events.Where(e => e.StartsWith('{')))
        {
            using var chunk = JsonDocument.Parse(data);
            foreach (var choice in chunk.RootElement.GetProperty("choices").EnumerateArray())
            {
                if (choice.GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    text.Append(content.GetString());
                }
            }
        }

        return text.ToString();
    }
}
