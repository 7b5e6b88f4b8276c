using System.Text.Json.Nodes;

namespace Spillway.Simulator.Tests;

public sealed class ErrorRepliesTests
{
    private static readonly HttpClient Client = new();

    public static TheoryData<SimulatorStyle, SimulatedFaultKind, int> Statuses => new()
    {
        { SimulatorStyle.OpenAI, SimulatedFaultKind.ServerError, 500 },
        { SimulatorStyle.OpenAI, SimulatedFaultKind.Overloaded, 503 },
        { SimulatorStyle.OpenAI, SimulatedFaultKind.Unauthorized, 401 },
        { SimulatorStyle.OpenAI, SimulatedFaultKind.ContextLengthExceeded, 400 },
        { SimulatorStyle.OpenAI, SimulatedFaultKind.ModelNotFound, 404 },
        { SimulatorStyle.Groq, SimulatedFaultKind.ServerError, 500 },
        { SimulatorStyle.Groq, SimulatedFaultKind.Overloaded, 503 },
        { SimulatorStyle.Groq, SimulatedFaultKind.Unauthorized, 401 },
        { SimulatorStyle.Groq, SimulatedFaultKind.ContextLengthExceeded, 400 },
        { SimulatorStyle.Groq, SimulatedFaultKind.ModelNotFound, 404 },
        { SimulatorStyle.OpenRouter, SimulatedFaultKind.ServerError, 500 },
        { SimulatorStyle.OpenRouter, SimulatedFaultKind.Overloaded, 503 },
        { SimulatorStyle.OpenRouter, SimulatedFaultKind.Unauthorized, 401 },
        { SimulatorStyle.OpenRouter, SimulatedFaultKind.ContextLengthExceeded, 400 },
        { SimulatorStyle.OpenRouter, SimulatedFaultKind.ModelNotFound, 404 },
        { SimulatorStyle.Mistral, SimulatedFaultKind.ServerError, 500 },
        { SimulatorStyle.Mistral, SimulatedFaultKind.Overloaded, 503 },
        { SimulatorStyle.Mistral, SimulatedFaultKind.Unauthorized, 401 },
        { SimulatorStyle.Mistral, SimulatedFaultKind.ContextLengthExceeded, 400 },
        { SimulatorStyle.Mistral, SimulatedFaultKind.ModelNotFound, 400 },
        { SimulatorStyle.GeminiOpenAICompat, SimulatedFaultKind.ServerError, 500 },
        { SimulatorStyle.GeminiOpenAICompat, SimulatedFaultKind.Overloaded, 503 },
        { SimulatorStyle.GeminiOpenAICompat, SimulatedFaultKind.Unauthorized, 400 },
        { SimulatorStyle.GeminiOpenAICompat, SimulatedFaultKind.ContextLengthExceeded, 400 },
        { SimulatorStyle.GeminiOpenAICompat, SimulatedFaultKind.ModelNotFound, 404 },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task Fault_EachStyle_AnswersTheRealStatusInTheStyleEnvelope(SimulatorStyle style, SimulatedFaultKind kind, int status)
    {
        var (response, body) = await CallWithFaultAsync(style, Fault(kind));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("spillway-simulator", SimulatorCalls.Header(response, "x-simulator"));
        switch (style)
        {
            case SimulatorStyle.GeminiOpenAICompat:
                var status0 = body.AsArray().Single()!["error"]!;
                Assert.Equal(status, (int)status0["code"]!);
                Assert.NotNull((string?)status0["status"]);
                break;
            case SimulatorStyle.Mistral:
                Assert.NotNull((string?)body["message"]);
                break;
            case SimulatorStyle.OpenRouter:
                Assert.Equal(status, (int)body["error"]!["code"]!);
                break;
            default:
                Assert.NotNull((string?)body["error"]!["message"]);
                Assert.NotNull((string?)body["error"]!["type"]);
                break;
        }

        response.Dispose();
    }

    [Theory]
    [InlineData(SimulatorStyle.OpenAI, "context_length_exceeded")]
    [InlineData(SimulatorStyle.Groq, "context_length_exceeded")]
    public async Task ContextLengthExceeded_OpenAIEnvelope_HasTheRealCodeAndParam(SimulatorStyle style, string code)
    {
        var (response, body) = await CallWithFaultAsync(style, SimulatedFault.ContextLengthExceeded());
        using (response)
        {
            Assert.Equal(code, (string?)body["error"]!["code"]);
            Assert.Equal("messages", (string?)body["error"]!["param"]);
        }
    }

    [Fact]
    public async Task Unauthorized_Gemini_IsTheRealApiKeyInvalidArray()
    {
        var (response, body) = await CallWithFaultAsync(SimulatorStyle.GeminiOpenAICompat, SimulatedFault.Unauthorized());
        using (response)
        {
            var error = body[0]!["error"]!;
            Assert.Equal("INVALID_ARGUMENT", (string?)error["status"]);
            Assert.Equal("API_KEY_INVALID", (string?)error["details"]![0]!["reason"]);
        }
    }

    [Fact]
    public async Task Unauthorized_OpenAI_QuotesTheMaskedKey()
    {
        var (response, body) = await CallWithFaultAsync(SimulatorStyle.OpenAI, SimulatedFault.Unauthorized());
        using (response)
        {
            var message = (string)body["error"]!["message"]!;
            Assert.Equal("invalid_api_key", (string?)body["error"]!["code"]);
            Assert.Contains("sk-tes******0001", message, StringComparison.Ordinal);
            Assert.DoesNotContain(SimulatorCalls.Key, message, StringComparison.Ordinal);
        }
    }

    internal static async Task<(HttpResponseMessage Response, JsonNode Body)> CallWithFaultAsync(
        SimulatorStyle style,
        SimulatedFault fault,
        Action<SimulatedProvider>? configure = null,
        TimeProvider? time = null)
    {
        var provider = new SimulatedProvider("p", style);
        configure?.Invoke(provider);
        await using var simulator = await ProviderSimulator.StartAsync([provider], time);
        provider.Enqueue(fault);
        var response = await SimulatorCalls.PostAsync(Client, simulator.BaseUrlOf("p"), SimulatorCalls.Body("sim-model"));
        var body = await SimulatorCalls.JsonAsync(response);
        return (response, body);
    }

    private static SimulatedFault Fault(SimulatedFaultKind kind) => kind switch
    {
        SimulatedFaultKind.ServerError => SimulatedFault.ServerError(),
        SimulatedFaultKind.Overloaded => SimulatedFault.Overloaded(),
        SimulatedFaultKind.Unauthorized => SimulatedFault.Unauthorized(),
        SimulatedFaultKind.ContextLengthExceeded => SimulatedFault.ContextLengthExceeded(),
        _ => SimulatedFault.ModelNotFound(),
    };
}
