using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Spillway.Core.Engine;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>
/// Failures across formats: fallback from an upstream of one format to another, errors in the client's own shape
/// whatever the upstream said, content a route cannot carry, hints dropped and noted, and output caps clamped.
/// </summary>
public sealed class TranslationFailureTests
{
    [Fact]
    public async Task OpenAIClient_AnthropicOverloaded_FallsBackToOpenAIUpstream()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("claude", SimulatorStyle.Anthropic), new SimulatedProvider("openai", SimulatorStyle.OpenAI)]);
        gateway["claude"].Enqueue(SimulatedFault.Overloaded());

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("openai/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        var attempts = (await gateway.LedgerAsync())[0].GetProperty("attempts");
        Assert.Equal("overloaded", attempts[0].GetProperty("outcome").GetString());
        Assert.Equal(529, attempts[0].GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task AnthropicClient_GeminiPerDayQuota_CooledUntilPacificMidnightNotRetryDelay()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("gemini", SimulatorStyle.GeminiNative), new SimulatedProvider("openai", SimulatorStyle.OpenAI)]);
        gateway["gemini"].Enqueue(SimulatedFault.QuotaExhausted());

        using (var first = await gateway.MessagesAsync("chain"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using (var second = await gateway.MessagesAsync("chain"))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        Assert.Equal(1, gateway["gemini"].CallCount);
        var skip = (await gateway.LedgerAsync())[0].GetProperty("attempts")[0];
        Assert.Equal("skipped_cooldown", skip.GetProperty("outcome").GetString());
        var detail = skip.GetProperty("detail").GetString()!;
        Assert.StartsWith("quota_exhausted until ", detail, StringComparison.Ordinal);
        var until = DateTimeOffset.Parse(detail["quota_exhausted until ".Length..detail.IndexOf(": ", StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        var pacific = TimeZoneInfo.ConvertTime(until, TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles"));
        Assert.Equal(TimeSpan.Zero, pacific.TimeOfDay);
    }

    [Fact]
    public async Task AnthropicClient_EveryRouteRateLimited_AnthropicErrorWithRetryAfter()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai", SimulatorStyle.OpenAI)]);
        gateway["openai"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));

        using var response = await gateway.MessagesAsync("chain");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter is not null, "Retry-After must tell the client when to come back");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("rate_limit_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task AnthropicClient_OpenAIStreamFailsAfterCommit_EndsWithAnthropicErrorEvent()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai", SimulatorStyle.OpenAI)]);
        gateway["openai"].Enqueue(SimulatedFault.FailMidStream(3, MidStreamFailure.ErrorChunk));

        using var response = await gateway.MessagesAsync("chain", stream: true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("event: message_start", text, StringComparison.Ordinal);
        Assert.Contains("event: error", text, StringComparison.Ordinal);
        Assert.DoesNotContain("message_stop", text, StringComparison.Ordinal);
        var errorData = text[(text.IndexOf("event: error", StringComparison.Ordinal) + "event: error".Length)..];
        Assert.Contains("\"type\":\"error\"", errorData, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAIClient_AnthropicStreamFailsAfterCommit_EndsWithOpenAIErrorChunk()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("claude", SimulatorStyle.Anthropic)]);
        gateway["claude"].Enqueue(SimulatedFault.FailMidStream(5, MidStreamFailure.ErrorChunk));

        using var response = await gateway.ChatAsync("chain", stream: true);

        var events = await Sse.DataOfAsync(response);
        Assert.StartsWith("{\"error\":", events[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", events);
    }

    [Fact]
    public async Task OpenAIClient_ImageUrlToGemini25_RefusedIn400WithoutACall()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("gemini", SimulatorStyle.GeminiNative)]);

        using var response = await gateway.ChatAsync("chain", extra: ImageUrlTurn());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains("image", error.GetProperty("message").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, gateway["gemini"].CallCount);
    }

    [Fact]
    public async Task OpenAIClient_ImageUrlChainWithGeminiFirst_SkipsGeminiServedByOpenAI()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("gemini", SimulatorStyle.GeminiNative), new SimulatedProvider("openai", SimulatorStyle.OpenAI)]);

        using var response = await gateway.ChatAsync("chain", extra: ImageUrlTurn());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, gateway["gemini"].CallCount);
        var attempts = (await gateway.LedgerAsync())[0].GetProperty("attempts");
        Assert.Equal("skipped_capability", attempts[0].GetProperty("outcome").GetString());
        Assert.Equal("ok", attempts[1].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task AnthropicClient_ProviderHintsToOpenAI_DroppedAndNotedInTheLedger()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai", SimulatorStyle.OpenAI)]);
        const string Extra = """
            ,"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],
            "context_management":{"edits":[{"type":"clear_tool_uses_20250919"}]}
            """;

        using var response = await gateway.MessagesAsync("chain", extra: Extra);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Encoding.UTF8.GetString(gateway["openai"].Calls[^1].Body);
        Assert.DoesNotContain("cache_control", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("context_management", sent, StringComparison.Ordinal);
        Assert.Contains("Be brief.", sent, StringComparison.Ordinal);
        var detail = (await gateway.LedgerAsync())[0].GetProperty("attempts")[0].GetProperty("detail").GetString()!;
        Assert.Contains("cache_control", detail, StringComparison.Ordinal);
        Assert.Contains("context_management", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnthropicClient_MaxTokensAboveRouteLimit_ClampedToTheLimit()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("openai", SimulatorStyle.OpenAI)],
            configure: (_, config) => config with
            {
                Providers = [.. config.Providers.Select(p => p with
                {
                    MaxOutputTokens = ImmutableDictionary<string, int>.Empty.Add("gpt-4o-mini", 1000),
                })],
            });
        var content = new StringContent(
            """{"model":"chain","max_tokens":64000,"messages":[{"role":"user","content":"Say hello"}]}""", Encoding.UTF8, "application/json");

        using var response = await gateway.Http.PostAsync("/v1/messages", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var sent = JsonDocument.Parse(gateway["openai"].Calls[^1].Body);
        Assert.Equal(1000, sent.RootElement.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public async Task OpenAIClient_NoMaxTokensToAnthropic_RouteLimitSent()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("claude", SimulatorStyle.Anthropic)],
            configure: (_, config) => config with
            {
                Providers = [.. config.Providers.Select(p => p with
                {
                    MaxOutputTokens = ImmutableDictionary<string, int>.Empty.Add("claude-haiku-4-5", 64000),
                })],
            });

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var sent = JsonDocument.Parse(gateway["claude"].Calls[^1].Body);
        Assert.Equal(64000, sent.RootElement.GetProperty("max_tokens").GetInt32());
    }

    [Fact]
    public async Task ModelList_WithAnthropicVersion_AnthropicShape()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai", SimulatorStyle.OpenAI)]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Add("anthropic-version", "2023-06-01");

        using var response = await gateway.Http.SendAsync(request);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var first = body.RootElement.GetProperty("data")[0];
        Assert.Equal("model", first.GetProperty("type").GetString());
        Assert.Equal("chain", first.GetProperty("id").GetString());
        Assert.False(body.RootElement.GetProperty("has_more").GetBoolean());
        Assert.Equal("chain", body.RootElement.GetProperty("first_id").GetString());
    }

    private static string ImageUrlTurn() =>
        ""","messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]""";

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";
}
