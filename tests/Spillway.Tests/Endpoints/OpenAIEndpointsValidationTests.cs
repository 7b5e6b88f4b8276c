using System.Net;
using System.Text;
using System.Text.Json;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>Bad input gets a clear OpenAI-shaped error with the right status, and no upstream call.</summary>
public sealed class OpenAIEndpointsValidationTests
{
    [Theory]
    [InlineData("{not json", 400)]
    [InlineData("{\"model\":\"chain\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]", 400)]
    [InlineData("[1,2,3]", 400)]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400)]
    [InlineData("{\"model\":42,\"messages\":[]}", 400)]
    [InlineData("{\"model\":\"chain\",\"messages\":\"hi\"}", 400)]
    [InlineData("{\"model\":\"chain\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400)]
    [InlineData("{\"model\":\"nope/nothing\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404)]
    [InlineData("{\"model\":\"no-such-alias\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404)]
    public async Task ChatCompletions_BadInput_AnswersAnOpenAIErrorWithoutCallingUpstream(string body, int status)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);

        using var response = await gateway.Http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("code", out _));
        Assert.True(error.TryGetProperty("param", out _));
        Assert.Equal(0, gateway["openai"].CallCount);
    }

    [Fact]
    public async Task ChatCompletions_BodyTooLarge_Answers413()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);
        var huge = "{\"model\":\"chain\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 33 * 1024 * 1024) + "\"}]}";

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(huge, Encoding.UTF8, "application/json"),
        };
        // As curl does for large bodies: the gateway answers before the body is sent.
        request.Headers.ExpectContinue = true;

        using var response = await gateway.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("request_too_large", json.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Models_ListsAliasesAndRoutesInTheOpenAIShape()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openai")]);

        using var json = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1/models"));

        Assert.Equal("list", json.RootElement.GetProperty("object").GetString());
        var ids = json.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["chain", "groq/llama-3.3-70b-versatile", "openai/gpt-4o-mini"], ids);
        Assert.All(json.RootElement.GetProperty("data").EnumerateArray(), m => Assert.Equal("model", m.GetProperty("object").GetString()));
    }

    [Fact]
    public async Task Healthz_AnswersOk()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("openai")]);

        using var json = JsonDocument.Parse(await gateway.Http.GetStringAsync("/healthz"));

        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("providers").GetInt32());
    }
}
