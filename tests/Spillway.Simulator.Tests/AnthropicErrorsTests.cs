using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Spillway.Simulator.Tests;

public sealed class AnthropicErrorsTests
{
    private static readonly HttpClient Client = new();

    public static TheoryData<SimulatedFaultKind, int, string> Faults => new()
    {
        { SimulatedFaultKind.RateLimited, 429, "rate_limit_error" },
        { SimulatedFaultKind.QuotaExhausted, 400, "invalid_request_error" },
        { SimulatedFaultKind.Overloaded, 529, "overloaded_error" },
        { SimulatedFaultKind.ServerError, 500, "api_error" },
        { SimulatedFaultKind.Unauthorized, 401, "authentication_error" },
        { SimulatedFaultKind.ContextLengthExceeded, 400, "invalid_request_error" },
        { SimulatedFaultKind.ModelNotFound, 404, "not_found_error" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Fault_Each_AnswersTheRealStatusAndErrorType(SimulatedFaultKind kind, int status, string type)
    {
        var (response, json) = await CallWithFaultAsync(Fault(kind));
        using (response)
        {
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("spillway-simulator", SimulatorCalls.Header(response, "x-simulator"));
            Assert.Equal(["type", "error", "request_id"], json.AsObject().Select(member => member.Key));
            Assert.Equal(type, (string?)json["error"]!["type"]);
            Assert.False(string.IsNullOrEmpty((string?)json["error"]!["message"]));
            Assert.StartsWith("req_", (string)json["request_id"]!, StringComparison.Ordinal);
            Assert.Equal((string?)json["request_id"], SimulatorCalls.Header(response, "request-id"));
        }
    }

    [Fact]
    public async Task Fault_RateLimited_MatchesTheRecordedBodyWithRetryAfterAndHeaders()
    {
        var (response, json) = await CallWithFaultAsync(SimulatedFault.RateLimited(TimeSpan.FromSeconds(26)));
        using (response)
        {
            var recorded = FixtureSamples.Sample("anthropic-error-samples.json", "429 rate_limit_error")["body"]!;

            Assert.Empty(SimulatorCalls.MissingMembers(recorded, json));
            Assert.Equal((string?)recorded["error"]!["type"], (string?)json["error"]!["type"]);
            Assert.StartsWith("This request would exceed the rate limit for your organization (", (string)json["error"]!["message"]!, StringComparison.Ordinal);
            Assert.Equal("26", SimulatorCalls.Header(response, "retry-after"));
            Assert.Equal("0", SimulatorCalls.Header(response, "anthropic-ratelimit-requests-remaining"));
        }
    }

    [Fact]
    public async Task Fault_Overloaded_IsTheRecorded529Body()
    {
        var (response, json) = await CallWithFaultAsync(SimulatedFault.Overloaded());
        using (response)
        {
            var recorded = FixtureSamples.Sample("anthropic-error-samples.json", "529 overloaded_error");

            Assert.Equal((int)recorded["http_status"]!, (int)response.StatusCode);
            Assert.True(JsonNode.DeepEquals(recorded["body"]!["error"], json["error"]));
        }
    }

    [Fact]
    public async Task Fault_QuotaExhausted_IsTheCreditBalanceAnswerWithoutRetryAfter()
    {
        var (response, json) = await CallWithFaultAsync(SimulatedFault.QuotaExhausted());
        using (response)
        {
            Assert.StartsWith("Your credit balance is too low", (string)json["error"]!["message"]!, StringComparison.Ordinal);
            Assert.Null(SimulatorCalls.Header(response, "retry-after"));
        }
    }

    [Fact]
    public async Task Fault_ContextLengthExceeded_QuotesTokensOverTheMaximum()
    {
        var (response, json) = await CallWithFaultAsync(SimulatedFault.ContextLengthExceeded());
        using (response)
        {
            Assert.Matches(@"^prompt is too long: \d+ tokens > 200000 maximum$", (string)json["error"]!["message"]!);
        }
    }

    [Fact]
    public async Task Fault_FailMidStreamErrorChunk_SendsTheRecordedErrorEventAndNoMessageStop()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);
        simulator["anth"].Enqueue(SimulatedFault.FailMidStream(1, MidStreamFailure.ErrorChunk));

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body(stream: true));
        var events = AnthropicCalls.Events(await response.Content.ReadAsStringAsync());

        var recordedSse = (string)FixtureSamples.Sample("anthropic-error-samples.json", "mid-stream error event")["sse"]!;
        var recorded = AnthropicCalls.Events(recordedSse).Single();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, events.Count(pair => pair.Event == "content_block_delta"));
        Assert.Equal("error", events[^1].Event);
        Assert.True(JsonNode.DeepEquals(recorded.Data, events[^1].Data));
        Assert.DoesNotContain(events, pair => pair.Event == "message_stop");
    }

    [Fact]
    public async Task Fault_FailMidStreamAbort_BreaksTheConnectionAfterTheEvents()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);
        simulator["anth"].Enqueue(SimulatedFault.FailMidStream(2));

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body(stream: true));
        var received = new List<string>();
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);

        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                received.Add(line);
            }
        });

        Assert.Equal(2, received.Count(line => line == "event: content_block_delta"));
        Assert.DoesNotContain("event: content_block_stop", received);
        Assert.DoesNotContain("event: message_stop", received);
    }

    [Theory]
    [InlineData(SimulatedFaultKind.StreamWithoutDone)]
    [InlineData(SimulatedFaultKind.KeepAliveComments)]
    [InlineData(SimulatedFaultKind.MalformedEvent)]
    public async Task Fault_StreamShaping_ChangesOnlyWhatItNames(SimulatedFaultKind kind)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);
        simulator["anth"].Enqueue(Fault(kind));

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body(stream: true));
        var text = await response.Content.ReadAsStringAsync();
        var dataLines = text.Split('\n').Where(line => line.StartsWith("data: ", StringComparison.Ordinal)).ToList();

        switch (kind)
        {
            case SimulatedFaultKind.StreamWithoutDone:
                Assert.DoesNotContain("message_stop", text, StringComparison.Ordinal);
                Assert.Contains("message_delta", text, StringComparison.Ordinal);
                break;
            case SimulatedFaultKind.KeepAliveComments:
                Assert.True(AnthropicCalls.Events(text).Count(pair => pair.Event == "ping") > 2);
                Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", text, StringComparison.Ordinal);
                break;
            default:
                Assert.Single(dataLines, line => !SimulatorCalls.IsJson(line["data: ".Length..]));
                Assert.Contains("message_stop", text, StringComparison.Ordinal);
                break;
        }
    }

    [Fact]
    public async Task Post_PerDayQuotaUsedUp_Answers429UntilUtcMidnight()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 4, 23, 0, 0, TimeSpan.Zero));
        await using var simulator = await ProviderSimulator.StartAsync(
            [new SimulatedProvider("anth", SimulatorStyle.Anthropic) { RequestsPerDay = 2 }], time);
        var root = simulator.RootUrlOf("anth");
        for (var i = 0; i < 2; i++)
        {
            using var admitted = await AnthropicCalls.PostAsync(Client, root, AnthropicCalls.Body());
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        using var refused = await AnthropicCalls.PostAsync(Client, root, AnthropicCalls.Body());
        var json = await SimulatorCalls.JsonAsync(refused);
        using var otherKey = await AnthropicCalls.PostAsync(Client, root, AnthropicCalls.Body(), "sk-ant-other-B002");
        time.Advance(TimeSpan.FromHours(1));
        using var nextDay = await AnthropicCalls.PostAsync(Client, root, AnthropicCalls.Body());

        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal("rate_limit_error", (string?)json["error"]!["type"]);
        Assert.Contains("of 2 requests per day", (string)json["error"]!["message"]!, StringComparison.Ordinal);
        Assert.Equal("3600", SimulatorCalls.Header(refused, "retry-after"));
        Assert.Equal("2", SimulatorCalls.Header(refused, "anthropic-ratelimit-requests-limit"));
        Assert.Equal("0", SimulatorCalls.Header(refused, "anthropic-ratelimit-requests-remaining"));
        Assert.Equal("2026-05-05T00:00:00Z", SimulatorCalls.Header(refused, "anthropic-ratelimit-requests-reset"));
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
    }

    [Fact]
    public async Task Post_PerMinuteQuotaUsedUp_Answers429WithTheMinuteReset()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 4, 12, 0, 0, TimeSpan.Zero));
        await using var simulator = await ProviderSimulator.StartAsync(
            [new SimulatedProvider("anth", SimulatorStyle.Anthropic) { RequestsPerMinute = 1 }], time);
        var root = simulator.RootUrlOf("anth");
        using var first = await AnthropicCalls.PostAsync(Client, root, AnthropicCalls.Body());
        time.Advance(TimeSpan.FromSeconds(20));

        using var refused = await AnthropicCalls.PostAsync(Client, root, AnthropicCalls.Body());
        var json = await SimulatorCalls.JsonAsync(refused);

        Assert.Equal("1", SimulatorCalls.Header(first, "anthropic-ratelimit-requests-limit"));
        Assert.Equal("0", SimulatorCalls.Header(first, "anthropic-ratelimit-requests-remaining"));
        Assert.Equal("2026-05-04T12:01:00Z", SimulatorCalls.Header(first, "anthropic-ratelimit-requests-reset"));
        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Contains("of 1 requests per minute", (string)json["error"]!["message"]!, StringComparison.Ordinal);
        Assert.Equal("40", SimulatorCalls.Header(refused, "retry-after"));
    }

    private static async Task<(HttpResponseMessage Response, JsonNode Json)> CallWithFaultAsync(SimulatedFault fault)
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic)]);
        simulator["anth"].Enqueue(fault);
        var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body());
        var json = await SimulatorCalls.JsonAsync(response);
        Assert.Equal(fault.Kind, simulator["anth"].Calls.Single().Fault);
        return (response, json);
    }

    private static SimulatedFault Fault(SimulatedFaultKind kind) => kind switch
    {
        SimulatedFaultKind.RateLimited => SimulatedFault.RateLimited(),
        SimulatedFaultKind.QuotaExhausted => SimulatedFault.QuotaExhausted(),
        SimulatedFaultKind.Overloaded => SimulatedFault.Overloaded(),
        SimulatedFaultKind.Unauthorized => SimulatedFault.Unauthorized(),
        SimulatedFaultKind.ContextLengthExceeded => SimulatedFault.ContextLengthExceeded(),
        SimulatedFaultKind.ModelNotFound => SimulatedFault.ModelNotFound(),
        SimulatedFaultKind.StreamWithoutDone => SimulatedFault.StreamWithoutDone(),
        SimulatedFaultKind.KeepAliveComments => SimulatedFault.KeepAliveComments(),
        SimulatedFaultKind.MalformedEvent => SimulatedFault.MalformedEvent(),
        _ => SimulatedFault.ServerError(),
    };
}
