using System.Net;
using System.Text.Json;
using Spillway.Core.Engine;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>The chain of three on real loopback HTTP: the first two answer real 429 bodies, the third serves.</summary>
public sealed class OpenAIEndpointsFallbackTests
{
    private static SimulatedProvider[] ThreeProviders() =>
    [
        new("groq", SimulatorStyle.Groq),
        new("openrouter", SimulatorStyle.OpenRouter),
        new("openai", SimulatorStyle.OpenAI),
    ];

    [Fact]
    public async Task ChatCompletions_FirstTwoRateLimited_ThirdServesAndNextRequestSkipsThem()
    {
        await using var gateway = await TestGateway.StartAsync(ThreeProviders());
        gateway["groq"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));
        gateway["openrouter"].Enqueue(SimulatedFault.QuotaExhausted());

        using var first = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("3", Header(first, SpillwayHeaders.Attempts));
        Assert.Equal("openai/gpt-4o-mini", Header(first, SpillwayHeaders.Route));
        Assert.StartsWith("req_", Header(first, SpillwayHeaders.RequestId), StringComparison.Ordinal);
        using var body = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", body.RootElement.GetProperty("object").GetString());

        using var second = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("1", Header(second, SpillwayHeaders.Attempts));
        Assert.Equal(1, gateway["groq"].CallCount);
        Assert.Equal(1, gateway["openrouter"].CallCount);
        Assert.Equal(2, gateway["openai"].CallCount);
    }

    [Fact]
    public async Task ChatCompletions_Fallback_LedgerShowsTheAttemptTrail()
    {
        await using var gateway = await TestGateway.StartAsync(ThreeProviders());
        gateway["groq"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));
        gateway["openrouter"].Enqueue(SimulatedFault.QuotaExhausted());
        using (await gateway.ChatAsync("chain"))
        {
        }

        using (await gateway.ChatAsync("chain"))
        {
        }

        var ledger = await gateway.LedgerAsync();

        Assert.Equal(2, ledger.GetArrayLength());
        var newest = ledger[0];
        var oldest = ledger[1];
        Assert.Equal(["rate_limited", "quota_exhausted", "ok"], Outcomes(oldest));
        Assert.Equal(["groq-key", "openrouter-key", "openai-key"], oldest.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("key_id").GetString()!));
        Assert.Equal(429, oldest.GetProperty("attempts")[0].GetProperty("status").GetInt32());
        Assert.Equal("openai/gpt-4o-mini", oldest.GetProperty("route").GetString());
        Assert.Equal(200, oldest.GetProperty("status").GetInt32());
        Assert.Equal("chain", oldest.GetProperty("model").GetString());
        Assert.Equal("openai", oldest.GetProperty("client_format").GetString());
        Assert.True(oldest.GetProperty("usage").GetProperty("input_tokens").GetInt64() > 0);
        Assert.Equal(["skipped_cooldown", "skipped_cooldown", "ok"], Outcomes(newest));
        Assert.Equal(JsonValueKind.Null, newest.GetProperty("attempts")[0].GetProperty("status").ValueKind);
    }

    [Fact]
    public async Task ChatCompletions_EveryStepRateLimited_Answers429WithRetryAfterOfTheSoonestRecovery()
    {
        await using var gateway = await TestGateway.StartAsync(ThreeProviders());
        gateway["groq"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(40)));
        gateway["openrouter"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(25)));
        gateway["openai"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(90)));

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter!.Value, 20, 26);
        Assert.Equal("3", Header(response, SpillwayHeaders.Attempts));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Contains("groq/llama-3.3-70b-versatile", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatCompletions_EveryKeyCooling_Answers429WithoutAnyUpstreamCall()
    {
        await using var gateway = await TestGateway.StartAsync(ThreeProviders());
        gateway["groq"].Enqueue(SimulatedFault.QuotaExhausted());
        gateway["openrouter"].Enqueue(SimulatedFault.QuotaExhausted());
        gateway["openai"].Enqueue(SimulatedFault.QuotaExhausted());
        using (await gateway.ChatAsync("chain"))
        {
        }

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("0", Header(response, SpillwayHeaders.Attempts));
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(1, gateway["groq"].CallCount);
        Assert.Equal(1, gateway["openrouter"].CallCount);
        Assert.Equal(1, gateway["openai"].CallCount);
    }

    [Fact]
    public async Task ChatCompletions_ServerError_RetriesTheSameKeyOnceThenMovesOn()
    {
        await using var gateway = await TestGateway.StartAsync(ThreeProviders());
        gateway["groq"].EnqueueMany(SimulatedFault.ServerError(), SimulatedFault.ServerError());

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, gateway["groq"].CallCount);
        Assert.Equal("openrouter/meta-llama/llama-3.3-70b-instruct:free", Header(response, SpillwayHeaders.Route));
        Assert.Equal("3", Header(response, SpillwayHeaders.Attempts));
    }

    [Fact]
    public async Task ChatCompletions_ServerErrorOnce_TheRetryOnTheSameKeyServes()
    {
        await using var gateway = await TestGateway.StartAsync(ThreeProviders());
        gateway["groq"].Enqueue(SimulatedFault.ServerError());

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal("groq/llama-3.3-70b-versatile", Header(response, SpillwayHeaders.Route));
        Assert.Equal("2", Header(response, SpillwayHeaders.Attempts));
    }

    [Fact]
    public async Task ChatCompletions_ModelNotFoundAndAuthFailure_MoveOnAndAreRecorded()
    {
        await using var gateway = await TestGateway.StartAsync(ThreeProviders());
        gateway["groq"].Enqueue(SimulatedFault.ModelNotFound());
        gateway["openrouter"].Enqueue(SimulatedFault.Unauthorized());

        using var response = await gateway.ChatAsync("chain");

        // 404 and 401 are failures of the route and key, not of the caller: the chain moves on.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3", Header(response, SpillwayHeaders.Attempts));
        var ledger = await gateway.LedgerAsync(1);
        Assert.Equal(["model_unavailable", "auth_failed", "ok"], Outcomes(ledger[0]));
    }

    [Fact]
    public async Task ChatCompletions_ContextTooLong_MovesToTheNextStep()
    {
        await using var gateway = await TestGateway.StartAsync(ThreeProviders());
        gateway["groq"].Enqueue(SimulatedFault.ContextLengthExceeded());

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, gateway["groq"].CallCount);
        Assert.Equal("2", Header(response, SpillwayHeaders.Attempts));
    }

    [Fact]
    public async Task ChatCompletions_BodyCutShort_IsNotPassedOffAsAnAnswer()
    {
        await using var gateway = await TestGateway.StartAsync(ThreeProviders());
        gateway["groq"].EnqueueMany(SimulatedFault.MalformedEvent(), SimulatedFault.MalformedEvent());

        using var response = await gateway.ChatAsync("chain");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("openrouter/meta-llama/llama-3.3-70b-instruct:free", Header(response, SpillwayHeaders.Route));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("chat.completion", body.RootElement.GetProperty("object").GetString());
        var ledger = await gateway.LedgerAsync(1);
        Assert.Equal(["server_error", "server_error", "ok"], Outcomes(ledger[0]));
    }

    [Fact]
    public async Task ChatCompletions_AdHocModelsList_IsAChain()
    {
        await using var gateway = await TestGateway.StartAsync(ThreeProviders());
        gateway["openrouter"].Enqueue(SimulatedFault.RateLimited());
        var extra = ",\"models\":[\"openai/gpt-4o-mini\"]";

        using var response = await gateway.ChatAsync("openrouter/meta-llama/llama-3.3-70b-instruct:free", extra: extra);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("openai/gpt-4o-mini", Header(response, SpillwayHeaders.Route));
        var sent = gateway["openai"].Calls.Single();
        using var upstreamBody = JsonDocument.Parse(sent.Body);
        Assert.Equal("gpt-4o-mini", upstreamBody.RootElement.GetProperty("model").GetString());
        Assert.False(upstreamBody.RootElement.TryGetProperty("models", out _));
    }

    internal static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    internal static string[] Outcomes(JsonElement entry) =>
        [.. entry.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()!)];
}
