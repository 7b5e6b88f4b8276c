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
    public async Task CreateResponseStreaming_TheDeltasAreTheAnswerAndItCompletes(SimulatorStyle style)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", style) { ReplyText = Reply }]);

        var text = new StringBuilder();
        var completed = false;
        await foreach (var update in await ClientFor(gateway).CreateResponseStreamingAsync(SayHello(stream: true)))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }

            completed |= update is StreamingResponseCompletedUpdate;
        }

        Assert.Equal(Reply, text.ToString());
        Assert.True(completed, "no response.completed event");
    }
}
