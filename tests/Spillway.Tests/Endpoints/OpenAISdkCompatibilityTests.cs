using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>The official OpenAI .NET client pointed at the gateway, as a user would.</summary>
public sealed class OpenAISdkCompatibilityTests
{
    private static ChatClient ClientFor(TestGateway gateway, string model, int retries = 2) =>
        new(model, new ApiKeyCredential("not-needed-on-loopback"), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.Address, "/v1"),
            NetworkTimeout = TimeSpan.FromSeconds(30),
            RetryPolicy = new ClientRetryPolicy(retries),
        });

    [Fact]
    public async Task CompleteChat_ThroughAFallback_ReturnsTheThirdProvidersAnswer()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("groq", SimulatorStyle.Groq),
            new SimulatedProvider("gemini", SimulatorStyle.GeminiOpenAICompat),
            new SimulatedProvider("openai") { ReplyText = "Served by the third (simulated) provider." },
        ]);
        gateway["groq"].Enqueue(SimulatedFault.QuotaExhausted());
        gateway["gemini"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));

        var completion = await ClientFor(gateway, "chain").CompleteChatAsync([new UserChatMessage("Hello")]);

        Assert.Equal("Served by the third (simulated) provider.", completion.Value.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.Value.FinishReason);
        Assert.True(completion.Value.Usage.InputTokenCount > 0);
        var raw = completion.GetRawResponse();
        Assert.Equal("3", raw.Headers.TryGetValue("x-spillway-attempts", out var attempts) ? attempts : null);
    }

    [Fact]
    public async Task CompleteChatStreaming_ThroughAFallback_StreamsTheWholeAnswer()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("groq", SimulatorStyle.Groq),
            new SimulatedProvider("openai") { ReplyText = "Streamed by the simulated fallback provider." },
        ]);
        gateway["groq"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));

        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in ClientFor(gateway, "chain").CompleteChatStreamingAsync([new UserChatMessage("Hello")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("Streamed by the simulated fallback provider.", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
    }

    [Fact]
    public async Task CompleteChat_EverythingRateLimited_SdkSeesA429()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("groq", SimulatorStyle.Groq)]);
        gateway["groq"].Enqueue(SimulatedFault.QuotaExhausted());
        // The SDK honours Retry-After, which here is the next daily reset: no retries, or the test would wait for it.
        var client = ClientFor(gateway, "chain", retries: 0);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("Hello")]));

        Assert.Equal(429, error.Status);
        var retryAfter = error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var value) ? value : null;
        Assert.True(long.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture) > 60);
    }

    [Fact]
    public async Task CompleteChat_WithTools_PassesToolCallsThrough()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);
        var tool = ChatTool.CreateFunctionTool(
            "get_weather",
            "The weather in a city",
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool } };

        var completion = await ClientFor(gateway, "openai/gpt-4o-mini").CompleteChatAsync([new UserChatMessage("Weather in Paris?")], options);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.Value.FinishReason);
        Assert.Equal("get_weather", completion.Value.ToolCalls[0].FunctionName);
        using var sent = System.Text.Json.JsonDocument.Parse(gateway["openai"].Calls.Single().Body);
        Assert.Equal("get_weather", sent.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
    }
}
