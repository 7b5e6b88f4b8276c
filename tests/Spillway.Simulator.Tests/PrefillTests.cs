using System.Net;

namespace Spillway.Simulator.Tests;

/// <summary>A conversation ending in an assistant turn (a prefill), as each simulated vendor takes it.</summary>
public sealed class PrefillTests
{
    private const string Reply = "The quick brown fox jumps over the lazy dog.";

    private static readonly HttpClient Client = new();

    private static string OpenAIMessages(string prefill, string extra = "") =>
        $$"""{"model":"sim-model","messages":[{"role":"user","content":"Go on"},{"role":"assistant","content":"{{prefill}}"{{extra}}}]}""";

    [Fact]
    public async Task Groq_TrailingAssistantMessage_AnswersWithWhatFollowsIt()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("groq", SimulatorStyle.Groq) { ReplyText = Reply }]);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("groq"), OpenAIMessages("The quick brown"));
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(" fox jumps over the lazy dog.", (string?)json["choices"]![0]!["message"]!["content"]);
    }

    [Fact]
    public async Task OpenAI_TrailingAssistantMessage_AnswersAfresh()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("openai") { ReplyText = Reply }]);

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("openai"), OpenAIMessages("The quick brown"));
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(Reply, (string?)json["choices"]![0]!["message"]!["content"]);
    }

    [Fact]
    public async Task Mistral_WithoutPrefixFlag_RefusedWithItsMessageOrderError()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("mistral", SimulatorStyle.Mistral) { ReplyText = Reply }]);

        using var refused = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("mistral"), OpenAIMessages("The quick brown"));
        var error = await SimulatorCalls.JsonAsync(refused);
        using var accepted = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("mistral"), OpenAIMessages("The quick brown", ",\"prefix\":true"));
        var json = await SimulatorCalls.JsonAsync(accepted);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_request_message_order", (string?)error["type"]);
        Assert.Contains("Assistant with prefix True", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(" fox jumps over the lazy dog.", (string?)json["choices"]![0]!["message"]!["content"]);
    }

    [Fact]
    public async Task Anthropic_PrefillEndingInWhitespace_RefusedAsTheApiDoes()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("anth", SimulatorStyle.Anthropic) { ReplyText = Reply }]);
        const string messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Go on\"},{\"role\":\"assistant\",\"content\":\"The quick \"}]";

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body().Replace(
            "\"messages\":[{\"role\":\"user\",\"content\":\"Hello there, simulator\"}]", messages, StringComparison.Ordinal));
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("messages: final assistant content cannot end with trailing whitespace", (string?)json["error"]!["message"]);
    }

    [Fact]
    public async Task Anthropic_RefusingModel_AnswersA400InItsShape()
    {
        await using var simulator = await ProviderSimulator.StartAsync(
            [new SimulatedProvider("anth", SimulatorStyle.Anthropic) { ReplyText = Reply, PrefillHandling = PrefillHandling.Refuse }]);
        const string messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Go on\"},{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"The quick\"}]}]";

        using var response = await AnthropicCalls.PostAsync(Client, simulator.RootUrlOf("anth"), AnthropicCalls.Body().Replace(
            "\"messages\":[{\"role\":\"user\",\"content\":\"Hello there, simulator\"}]", messages, StringComparison.Ordinal));
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", (string?)json["error"]!["type"]);
        Assert.Contains("prefill", (string?)json["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssistantTurnWithOnlyToolCalls_IsNotAPrefill()
    {
        await using var simulator = await ProviderSimulator.StartAsync([new SimulatedProvider("groq", SimulatorStyle.Groq) { ReplyText = Reply }]);
        const string body = """{"model":"sim-model","messages":[{"role":"user","content":"Go on"},{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}]}""";

        using var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("groq"), body);
        var json = await SimulatorCalls.JsonAsync(response);

        Assert.Equal(Reply, (string?)json["choices"]![0]!["message"]!["content"]);
    }
}
