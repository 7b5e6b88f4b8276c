using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenAI;
using OpenAI.Chat;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// The official OpenAI .NET client against <c>/v1/chat/completions</c> when the upstream speaks another format:
/// Anthropic Messages or Gemini-native generateContent.
/// </summary>
public sealed class OpenAISdkTranslationTests
{
    public static TheoryData<SimulatorStyle> Upstreams => [SimulatorStyle.Anthropic, SimulatorStyle.GeminiNative];

    public static TheoryData<SimulatorStyle, bool> UpstreamsStreamedOrNot => new()
    {
        { SimulatorStyle.Anthropic, false }, { SimulatorStyle.Anthropic, true },
        { SimulatorStyle.GeminiNative, false }, { SimulatorStyle.GeminiNative, true },
    };

    public static TheoryData<SimulatorStyle, bool> EveryUpstreamStreamedOrNot => new()
    {
        { SimulatorStyle.OpenAI, false }, { SimulatorStyle.OpenAI, true },
        { SimulatorStyle.Anthropic, false }, { SimulatorStyle.Anthropic, true },
        { SimulatorStyle.GeminiNative, false }, { SimulatorStyle.GeminiNative, true },
    };

    private const string Reply = "Answered by the simulated upstream.";

    // The smallest valid PNG: one transparent pixel.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    private static ChatClient ClientFor(TestGateway gateway) =>
        new("chain", new ApiKeyCredential("not-needed-on-loopback"), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.Address, "/v1"),
            NetworkTimeout = TimeSpan.FromSeconds(30),
            RetryPolicy = new ClientRetryPolicy(0),
        });

    private static Task<TestGateway> StartAsync(SimulatorStyle style) =>
        TestGateway.StartAsync([new SimulatedProvider("up", style) { ReplyText = Reply }]);

    private static ChatTool WeatherTool() => ChatTool.CreateFunctionTool(
        "get_weather",
        "The weather in a city",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    [Theory]
    [MemberData(nameof(Upstreams))]
    public async Task CompleteChat_Text_ReturnsTheUpstreamsAnswer(SimulatorStyle style)
    {
        await using var gateway = await StartAsync(style);

        var completion = (await ClientFor(gateway).CompleteChatAsync([new UserChatMessage("Say hello")])).Value;

        Assert.Equal(Reply, Assert.Single(completion.Content).Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(1, gateway["up"].CallCount);
    }

    [Theory]
    [MemberData(nameof(Upstreams))]
    public async Task CompleteChatStreaming_Text_StreamsTheWholeAnswerWithUsage(SimulatorStyle style)
    {
        await using var gateway = await StartAsync(style);

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in ClientFor(gateway).CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(Reply, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage.InputTokenCount > 0);
        Assert.True(usage.OutputTokenCount > 0);
    }

    [Theory]
    [MemberData(nameof(UpstreamsStreamedOrNot))]
    public async Task ToolRoundTrip_ToolCallThenToolResult_EndsWithText(SimulatorStyle style, bool streamed)
    {
        await using var gateway = await StartAsync(style);
        var client = ClientFor(gateway);
        var options = new ChatCompletionOptions { Tools = { WeatherTool() } };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];

        var (finish, calls, _) = await CompleteAsync(client, messages, options, streamed);

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        var call = Assert.Single(calls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.False(string.IsNullOrEmpty(call.Id));
        using (var arguments = JsonDocument.Parse(call.FunctionArguments))
        {
            Assert.Equal("simulated", arguments.RootElement.GetProperty("city").GetString());
        }

        messages.Add(new AssistantChatMessage([call]));
        messages.Add(new ToolChatMessage(call.Id, "Sunny, 21 degrees"));
        var (finalFinish, finalCalls, text) = await CompleteAsync(client, messages, options, streamed);

        Assert.Equal(ChatFinishReason.Stop, finalFinish);
        Assert.Empty(finalCalls);
        Assert.Equal(Reply, text);
        var upstream = Encoding.UTF8.GetString(gateway["up"].Calls[^1].Body);
        Assert.Contains("Sunny, 21 degrees", upstream, StringComparison.Ordinal);
        Assert.Contains(style == SimulatorStyle.Anthropic ? "\"tool_result\"" : "\"functionResponse\"", upstream, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_ImageDataUrl_ReachesAnthropicAsABase64ImageBlock()
    {
        await using var gateway = await StartAsync(SimulatorStyle.Anthropic);

        await ClientFor(gateway).CompleteChatAsync([ImageQuestion()]);

        using var sent = JsonDocument.Parse(gateway["up"].Calls.Single().Body);
        var blocks = sent.RootElement.GetProperty("messages")[0].GetProperty("content").EnumerateArray().ToList();
        var image = Assert.Single(blocks, b => b.GetProperty("type").GetString() == "image");
        var source = image.GetProperty("source");
        Assert.Equal("base64", source.GetProperty("type").GetString());
        Assert.Equal("image/png", source.GetProperty("media_type").GetString());
        Assert.Equal(Png, Convert.FromBase64String(source.GetProperty("data").GetString()!));
        Assert.Contains(blocks, b => b.GetProperty("type").GetString() == "text" && b.GetProperty("text").GetString() == "What is in this picture?");
    }

    [Fact]
    public async Task CompleteChat_ImageDataUrl_ReachesGeminiAsInlineData()
    {
        await using var gateway = await StartAsync(SimulatorStyle.GeminiNative);

        await ClientFor(gateway).CompleteChatAsync([ImageQuestion()]);

        using var sent = JsonDocument.Parse(gateway["up"].Calls.Single().Body);
        var parts = sent.RootElement.GetProperty("contents")[0].GetProperty("parts").EnumerateArray().ToList();
        var inline = Assert.Single(parts, p => p.TryGetProperty("inlineData", out _)).GetProperty("inlineData");
        Assert.Equal("image/png", inline.GetProperty("mimeType").GetString());
        Assert.Equal(Png, Convert.FromBase64String(inline.GetProperty("data").GetString()!));
        Assert.Contains(parts, p => p.TryGetProperty("text", out var t) && t.GetString() == "What is in this picture?");
    }

    [Theory]
    [MemberData(nameof(EveryUpstreamStreamedOrNot))]
    public async Task CompleteChat_JsonSchemaResponseFormat_AnswerDeserializesIntoTheType(SimulatorStyle style, bool streamed)
    {
        await using var gateway = await StartAsync(style);
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                "book",
                BinaryData.FromString("""
                    {"type":"object","properties":{"title":{"type":"string"},"pages":{"type":"integer","minimum":50},
                     "genre":{"type":"string","enum":["novel","essay"]},"authors":{"type":"array","items":{"type":"string"},"minItems":1}},
                     "required":["title","pages","genre","authors"],"additionalProperties":false}
                    """),
                jsonSchemaIsStrict: true),
        };

        var (finish, _, text) = await CompleteAsync(ClientFor(gateway), [new UserChatMessage("Suggest a book")], options, streamed);

        Assert.Equal(ChatFinishReason.Stop, finish);
        var book = JsonSerializer.Deserialize(text, StructuredAnswerJson.Default.Book);
        Assert.NotNull(book);
        Assert.Contains("simulated", book.Title, StringComparison.Ordinal);
        Assert.Equal(50, book.Pages);
        Assert.Equal("novel", book.Genre);
        Assert.Single(book.Authors);
    }

    private static UserChatMessage ImageQuestion() => new(
        ChatMessageContentPart.CreateTextPart("What is in this picture?"),
        ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(Png), "image/png"));

    /// <summary>One completion, streamed or not, as its finish reason, its tool calls and its text.</summary>
    private static async Task<(ChatFinishReason? Finish, List<ChatToolCall> Calls, string Text)> CompleteAsync(
        ChatClient client, List<ChatMessage> messages, ChatCompletionOptions options, bool streamed)
    {
        if (!streamed)
        {
            var completion = (await client.CompleteChatAsync(messages, options)).Value;
            return (completion.FinishReason, [.. completion.ToolCalls], string.Concat(completion.Content.Select(p => p.Text)));
        }

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        var calls = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>();
        await foreach (var update in client.CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            foreach (var delta in update.ToolCallUpdates)
            {
                var call = calls.TryGetValue(delta.Index, out var known) ? known : (null, null, new StringBuilder());
                call.Id ??= delta.ToolCallId;
                call.Name ??= delta.FunctionName;
                if (delta.FunctionArgumentsUpdate is { } arguments && !arguments.ToMemory().IsEmpty)
                {
                    call.Arguments.Append(arguments.ToString());
                }

                calls[delta.Index] = call;
            }

            finish ??= update.FinishReason;
        }

        List<ChatToolCall> toolCalls =
        [
            .. calls.Values.Select(c => ChatToolCall.CreateFunctionToolCall(c.Id!, c.Name!, BinaryData.FromString(c.Arguments.ToString()))),
        ];
        return (finish, toolCalls, text.ToString());
    }
}

/// <summary>The type a structured-output test deserialises the answer into.</summary>
internal sealed record Book(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("pages")] int Pages,
    [property: JsonPropertyName("genre")] string Genre,
    [property: JsonPropertyName("authors")] IReadOnlyList<string> Authors);

[JsonSerializable(typeof(Book))]
[JsonSourceGenerationOptions(RespectRequiredConstructorParameters = true)]
internal sealed partial class StructuredAnswerJson : JsonSerializerContext;
