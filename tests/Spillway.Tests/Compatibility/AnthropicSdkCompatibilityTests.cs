using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Compatibility;

/// <summary>
/// The official Anthropic .NET client pointed at the gateway's <c>/v1/messages</c>, in front of an OpenAI, an
/// Anthropic and a Gemini-native upstream, with the client's default settings (no response validation: version 13
/// validates against fields newer than the recorded API, e.g. <c>caller</c> on <c>tool_use</c> and <c>lifecycle</c>
/// on a model, which Anthropic's own recorded answers lack too).
/// </summary>
public sealed class AnthropicSdkCompatibilityTests
{
    public static TheoryData<SimulatorStyle> Upstreams => [SimulatorStyle.OpenAI, SimulatorStyle.Anthropic, SimulatorStyle.GeminiNative];

    public static TheoryData<SimulatorStyle, bool> UpstreamsStreamedOrNot => new()
    {
        { SimulatorStyle.OpenAI, false }, { SimulatorStyle.OpenAI, true },
        { SimulatorStyle.Anthropic, false }, { SimulatorStyle.Anthropic, true },
        { SimulatorStyle.GeminiNative, false }, { SimulatorStyle.GeminiNative, true },
    };

    private const string Reply = "Answered by the simulated upstream.";

    private static AnthropicClient ClientFor(TestGateway gateway) => new()
    {
        BaseUrl = gateway.Address.ToString().TrimEnd('/'),
        ApiKey = "not-needed-on-loopback",
        MaxRetries = 0,
        Timeout = TimeSpan.FromSeconds(30),
    };

    private static Task<TestGateway> StartAsync(SimulatorStyle style) =>
        TestGateway.StartAsync([new SimulatedProvider("up", style) { ReplyText = Reply }]);

    private static MessageCreateParams Ask(string text, IReadOnlyList<ToolUnion>? tools = null) =>
        Ask([new UserMessageParam(text)], tools);

    private static MessageCreateParams Ask(IReadOnlyList<MessageParam> messages, IReadOnlyList<ToolUnion>? tools = null) => new()
    {
        Model = "chain",
        MaxTokens = 256,
        Messages = messages,
        Tools = tools,
    };

    private static Tool WeatherTool() => new()
    {
        Name = "get_weather",
        Description = "The weather in a city",
        InputSchema = new()
        {
            Properties = new Dictionary<string, JsonElement>
            {
                ["city"] = JsonSerializer.SerializeToElement(new { type = "string" }),
            },
            Required = ["city"],
        },
    };

    [Theory]
    [MemberData(nameof(Upstreams))]
    public async Task Create_Text_ReturnsTheUpstreamsAnswer(SimulatorStyle style)
    {
        await using var gateway = await StartAsync(style);

        var message = await ClientFor(gateway).Messages.Create(Ask("Say hello"));

        Assert.Equal(Reply, Assert.Single(TextsOf(message)));
        Assert.Equal(StopReason.EndTurn, message.StopReason?.Value());
        Assert.True(message.Usage.InputTokens > 0);
        Assert.True(message.Usage.OutputTokens > 0);
        Assert.Equal(1, gateway["up"].CallCount);
    }

    [Theory]
    [MemberData(nameof(Upstreams))]
    public async Task CreateStreaming_Text_StreamsTheWholeAnswerInAnthropicsEventOrder(SimulatorStyle style)
    {
        await using var gateway = await StartAsync(style);

        var events = new List<RawMessageStreamEvent>();
        await foreach (var streamed in ClientFor(gateway).Messages.CreateStreaming(Ask("Say hello")))
        {
            events.Add(streamed);
        }

        Assert.True(events[0].TryPickStart(out var start), "the first event is message_start");
        Assert.NotNull(start!.Message.Usage);
        Assert.True(events[^1].TryPickStop(out _), "the last event is message_stop");
        var text = new StringBuilder();
        foreach (var streamed in events)
        {
            if (streamed.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var textDelta))
            {
                text.Append(textDelta.Text);
            }
        }

        Assert.Equal(Reply, text.ToString());
        var final = events.Select(e => e.TryPickDelta(out var d) ? d : null).OfType<RawMessageDeltaEvent>().Last();
        Assert.Equal(StopReason.EndTurn, final.Delta.StopReason?.Value());
        Assert.True(final.Usage.OutputTokens > 0);

        // An Anthropic upstream reports input at message_start; an OpenAI or Gemini one only at the end, so the
        // gateway repeats the input figures in the final message_delta.
        Assert.True(start.Message.Usage.InputTokens > 0 || final.Usage.InputTokens > 0);
    }

    [Theory]
    [MemberData(nameof(Upstreams))]
    public async Task CreateStreaming_Aggregated_IsTheSameMessageAsTheNonStreamedOne(SimulatorStyle style)
    {
        await using var gateway = await StartAsync(style);

        var message = await ClientFor(gateway).Messages.CreateStreaming(Ask("Say hello")).Aggregate();

        Assert.Equal(Reply, Assert.Single(TextsOf(message)));
        Assert.Equal(StopReason.EndTurn, message.StopReason?.Value());
        Assert.True(message.Usage.InputTokens > 0);
        Assert.True(message.Usage.OutputTokens > 0);
    }

    [Theory]
    [MemberData(nameof(UpstreamsStreamedOrNot))]
    public async Task ToolRoundTrip_ToolUseThenToolResult_EndsWithText(SimulatorStyle style, bool streamed)
    {
        await using var gateway = await StartAsync(style);
        var client = ClientFor(gateway);
        MessageParam question = new UserMessageParam("Weather in Paris?");
        var first = Ask([question], [WeatherTool()]);

        var call = await CreateAsync(client, first, streamed);

        Assert.Equal(StopReason.ToolUse, call.StopReason?.Value());
        var toolUse = call.Content.Select(b => b.TryPickToolUse(out var t) ? t : null).OfType<ToolUseBlock>().Single();
        Assert.Equal("get_weather", toolUse.Name);
        Assert.False(string.IsNullOrEmpty(toolUse.ID));
        Assert.Equal("simulated", toolUse.Input["city"].GetString());

        var second = Ask(
            [
                question,
                new AssistantMessageParam(new List<ContentBlockParam> { new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input } }),
                new UserMessageParam(new List<ContentBlockParam> { new ToolResultBlockParam { ToolUseID = toolUse.ID, Content = "Sunny, 21 degrees" } }),
            ],
            [WeatherTool()]);
        var answer = await CreateAsync(client, second, streamed);

        Assert.Equal(StopReason.EndTurn, answer.StopReason?.Value());
        Assert.Equal(Reply, Assert.Single(TextsOf(answer)));
        var upstream = Encoding.UTF8.GetString(gateway["up"].Calls[^1].Body);
        Assert.Contains("Sunny, 21 degrees", upstream, StringComparison.Ordinal);
        Assert.Contains(ToolResultMarker(style), upstream, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsList_ShowsTheAliasesAndRoutes()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("oa", SimulatorStyle.OpenAI),
            new SimulatedProvider("an", SimulatorStyle.Anthropic),
            new SimulatedProvider("ge", SimulatorStyle.GeminiNative),
        ]);

        var page = await ClientFor(gateway).Models.List();

        var ids = page.Items.Select(m => m.ID).ToList();
        Assert.Equal("chain", ids[0]);
        Assert.Contains("oa/" + TestGateway.DefaultModel(SimulatorStyle.OpenAI), ids);
        Assert.Contains("an/" + TestGateway.DefaultModel(SimulatorStyle.Anthropic), ids);
        Assert.Contains("ge/" + TestGateway.DefaultModel(SimulatorStyle.GeminiNative), ids);
        Assert.All(page.Items, m => Assert.False(string.IsNullOrEmpty(m.DisplayName)));
        Assert.False(page.HasNext());
    }

    private static async Task<Message> CreateAsync(AnthropicClient client, MessageCreateParams parameters, bool streamed) =>
        streamed ? await client.Messages.CreateStreaming(parameters).Aggregate() : await client.Messages.Create(parameters);

    private static List<string> TextsOf(Message message) =>
        [.. message.Content.Select(b => b.TryPickText(out var t) ? t.Text : null).OfType<string>()];

    /// <summary>How the tool result shows in the upstream's own format.</summary>
    private static string ToolResultMarker(SimulatorStyle style) => style switch
    {
        SimulatorStyle.Anthropic => "\"tool_result\"",
        SimulatorStyle.GeminiNative => "\"functionResponse\"",
        _ => "\"tool_call_id\"",
    };
}
