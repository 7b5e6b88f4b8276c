using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using OpenAI;
using OpenAI.Responses;
using Spillway.Simulator;
using Spillway.Tests.Support;

#pragma warning disable OPENAI001 // The Responses client is marked experimental in the OpenAI .NET package.

namespace Spillway.Tests.Endpoints;

/// <summary>The official OpenAI .NET client's Responses API pointed at the gateway, over every upstream format.</summary>
public sealed class OpenAISdkResponsesTests
{
    private const string Reply = "Answered to the .NET Responses client.";

    private static ResponsesClient ClientFor(TestGateway gateway) =>
        new OpenAIClient(new ApiKeyCredential("not-needed-on-loopback"), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.Address, "/v1"),
            NetworkTimeout = TimeSpan.FromSeconds(30),
            RetryPolicy = new ClientRetryPolicy(0),
        }).GetResponsesClient();

    private static CreateResponseOptions SayHello(bool stream = false) => new()
    {
        Model = "chain",
        InputItems = { ResponseItem.CreateUserMessageItem("Say hello") },
        StreamingEnabled = stream,
    };

    [Theory]
    [InlineData(SimulatorStyle.OpenAI)]
    [InlineData(SimulatorStyle.Anthropic)]
    [InlineData(SimulatorStyle.GeminiNative)]
    [InlineData(SimulatorStyle.OpenAIResponses)]
    public async Task CreateResponse_AnyUpstream_TheOutputTextAndUsage(SimulatorStyle style)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", style) { ReplyText = Reply }]);

        var response = (await ClientFor(gateway).CreateResponseAsync(SayHello())).Value;

        Assert.Equal(Reply, response.GetOutputText());
        Assert.True(response.Usage.InputTokenCount > 0);
        Assert.True(response.Usage.OutputTokenCount > 0);
    }

    [Theory]
    [InlineData(SimulatorStyle.OpenAI)]
    [InlineData(SimulatorStyle.Anthropic)]
    [InlineData(SimulatorStyle.GeminiNative)]
    [InlineData(SimulatorStyle.OpenAIResponses)]
    public async Task CreateResponseStreaming_TheDocumentedEventOrderAndTheDeltasAreTheAnswer(SimulatorStyle style)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", style) { ReplyText = Reply }]);

        var text = new StringBuilder();
        var kinds = new List<string>();
        await foreach (var update in await ClientFor(gateway).CreateResponseStreamingAsync(SayHello(stream: true)))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }

            kinds.Add(update switch
            {
                StreamingResponseCreatedUpdate => "created",
                StreamingResponseInProgressUpdate => "in_progress",
                StreamingResponseOutputItemAddedUpdate => "item_added",
                StreamingResponseContentPartAddedUpdate => "part_added",
                StreamingResponseOutputTextDeltaUpdate => "delta",
                StreamingResponseOutputTextDoneUpdate => "text_done",
                StreamingResponseContentPartDoneUpdate => "part_done",
                StreamingResponseOutputItemDoneUpdate => "item_done",
                StreamingResponseCompletedUpdate => "completed",
                _ => update.GetType().Name,
            });
        }

        Assert.Equal(Reply, text.ToString());
        Assert.Equal(["created", "in_progress", "item_added", "part_added"], kinds.Take(4));
        Assert.Equal(["text_done", "part_done", "item_done", "completed"], kinds.TakeLast(4));
        Assert.All(kinds.Skip(4).SkipLast(4), kind => Assert.Equal("delta", kind));
    }

    [Fact]
    public async Task GetPreviousAndDelete_AStoredResponse_ContinuesOnAnotherFormatThenIsGone()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("oai", SimulatorStyle.OpenAI) { ReplyText = Reply },
            new SimulatedProvider("claude", SimulatorStyle.Anthropic) { ReplyText = "Your name is Ada." },
        ]);
        var client = ClientFor(gateway);
        var first = (await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = "oai/gpt-4o-mini",
            InputItems = { ResponseItem.CreateUserMessageItem("My name is Ada.") },
        })).Value;

        var stored = (await client.GetResponseAsync(first.Id)).Value;
        var followUp = (await client.CreateResponseAsync(new CreateResponseOptions
        {
            Model = "claude/claude-haiku-4-5",
            PreviousResponseId = first.Id,
            InputItems = { ResponseItem.CreateUserMessageItem("What is my name?") },
        })).Value;
        var deleted = (await client.DeleteResponseAsync(first.Id)).Value;
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => client.GetResponseAsync(first.Id));

        Assert.Equal(first.Id, stored.Id);
        Assert.Equal(Reply, stored.GetOutputText());
        Assert.Equal("Your name is Ada.", followUp.GetOutputText());
        Assert.Equal(first.Id, followUp.PreviousResponseId);
        var history = Encoding.UTF8.GetString(Assert.Single(gateway["claude"].Calls).Body);
        Assert.Contains("My name is Ada.", history, StringComparison.Ordinal);
        Assert.Contains(Reply, history, StringComparison.Ordinal);
        Assert.True(deleted.Deleted);
        Assert.Equal(404, gone.Status);
    }
}
