using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

/// <summary>The <see cref="SimulatorStyle.OpenAIResponses"/> style: <c>POST /v1/responses</c> in OpenAI's Responses format.</summary>
public sealed class ResponsesEndpointTests
{
    private static readonly HttpClient Client = new();

    private static async Task<HttpResponseMessage> PostAsync(ProviderSimulator simulator, string body, string? key = "sk-test")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, simulator.BaseUrlOf("resp") + "/responses")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    [Fact]
    public async Task Post_Text_ResponseObjectWithTheMessageItemUsageAndOpenAIsRateLimitHeaders()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("resp", SimulatorStyle.OpenAIResponses)]);

        using var response = await PostAsync(simulator, """{"model":"gpt-4o-mini","input":"Hello"}""");
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("resp_sim", (string)json["id"]!, StringComparison.Ordinal);
        Assert.Equal(("response", "completed"), ((string?)json["object"], (string?)json["status"]));
        var item = json["output"]![0]!;
        Assert.Equal(("message", "assistant"), ((string?)item["type"], (string?)item["role"]));
        Assert.Equal(simulator["resp"].ReplyText, (string?)item["content"]![0]!["text"]);
        Assert.True((int)json["usage"]!["output_tokens"]! > 0);
        Assert.NotNull(SimulatorCalls.Header(response, "x-ratelimit-remaining-requests"));
    }

    [Fact]
    public async Task Post_StreamWithAFunctionTool_NumberedEventsWithTheCallsArgumentsAndTheCompletedResponse()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("resp", SimulatorStyle.OpenAIResponses)]);

        using var response = await PostAsync(simulator, """
            {"model":"gpt-4o-mini","input":"Weather?","stream":true,
             "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}
            """);
        var events = (await SimulatorCalls.SseLinesAsync(response)).Where(l => !l.StartsWith("event:", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l)!).ToList();

        Assert.Equal(Enumerable.Range(0, events.Count), events.Select(e => (int)e["sequence_number"]!));
        var types = events.Select(e => (string?)e["type"]).ToList();
        Assert.Equal(["response.created", "response.in_progress", "response.output_item.added"], types.Take(3));
        Assert.Equal(["response.function_call_arguments.done", "response.output_item.done", "response.completed"], types.TakeLast(3));
        var arguments = string.Concat(events.Where(e => (string?)e["type"] == "response.function_call_arguments.delta").Select(e => (string?)e["delta"]));
        Assert.IsType<string>((string?)JsonNode.Parse(arguments)!["city"]);
        var call = events[^1]["response"]!["output"]![0]!;
        Assert.Equal(("function_call", "get_weather", arguments), ((string?)call["type"], (string?)call["name"], (string?)call["arguments"]));
    }

    [Fact]
    public async Task Post_NoInput_OpenAIsMissingParameterError()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("resp", SimulatorStyle.OpenAIResponses)]);

        using var response = await PostAsync(simulator, """{"model":"gpt-4o-mini"}""");
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("input", "missing_required_parameter"), ((string?)json["error"]!["param"], (string?)json["error"]!["code"]));
    }
}
