using System.Net;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using static Spillway.Core.Tests.Engine.EngineHarness;

namespace Spillway.Core.Tests.Engine;

/// <summary>The commit point: before the first content-bearing event a failure falls back; after it, the stream
/// ends with an in-band error in the client's format and nothing falls back.</summary>
public sealed class FallbackEngineCommitTests
{
    private static readonly RouteStep A = Step(Provider("a"));
    private static readonly RouteStep B = Step(Provider("b"));

    [Fact]
    public async Task NonStream_Served_RelaysTheAnswerWithTheSpillwayHeaders()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Enqueue("a", () => Answers.Json(HttpStatusCode.OK, OpenAICompletion()));

        var response = await harness.ServeAsync(harness.Call(stream: false, A, B));

        Assert.Equal(200, response.Status);
        Assert.Equal("a/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal("1", response.Headers[SpillwayHeaders.Attempts]);
        Assert.Contains("Hello! How can I help you today?", response.Text, StringComparison.Ordinal);
        Assert.Equal(["ok"], harness.Outcomes());
        Assert.Equal(38, harness.Ledger[^1].Usage?.TotalTokens);
    }

    [Fact]
    public async Task Stream_FailureBeforeTheFirstContent_FallsBackToTheNextStep()
    {
        using var harness = new EngineHarness();
        // Only the role event (no content yet), then the stream stops: not a commitment.
        harness.Upstream.Default("a", () => Answers.Stream(OpenAIStream().Take(1)));
        harness.Upstream.Enqueue("b", () => Answers.Stream(OpenAIStream()));

        var response = await harness.ServeAsync(harness.Call(stream: true, A, B));

        Assert.Equal(200, response.Status);
        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal("[DONE]", response.Data[^1]);
        Assert.DoesNotContain(response.Data, d => d.Contains("\"error\"", StringComparison.Ordinal));
        // A stream cut short is a server error: the same step once more, then the next.
        Assert.Equal(["server_error", "server_error", "ok"], harness.Outcomes());
        Assert.Contains("the stream ended before it finished", harness.Ledger[^1].Attempts[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_FailureAfterTheFirstContentWithoutContinuation_EndsInBandAndNeverFallsBack()
    {
        using var harness = new EngineHarness();
        harness.OnStreamFailure = StreamFailureMode.Error;
        harness.Upstream.Enqueue("a", () => Answers.Stream(OpenAIStream().Take(3)));
        harness.Upstream.Default("b", () => Answers.Stream(OpenAIStream()));

        var response = await harness.ServeAsync(harness.Call(stream: true, A, B));

        Assert.Equal(200, response.Status);
        Assert.Equal("a/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal(0, harness.Upstream.CallsTo("b"));
        Assert.Equal(["server_error"], harness.Outcomes());
        var entry = harness.Ledger[^1];
        Assert.Equal(200, entry.Status);
        Assert.StartsWith("The upstream stream failed after it had started", entry.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_OpenAIClient_InBandErrorIsAnOpenAIErrorChunkAndNoDone()
    {
        using var harness = new EngineHarness();
        harness.OnStreamFailure = StreamFailureMode.Error;
        harness.Upstream.Enqueue("a", () => Answers.Stream(OpenAIStream().Take(3)));

        var response = await harness.ServeAsync(harness.Call(stream: true, A, B));

        var last = response.Data[^1];
        Assert.StartsWith("{\"error\":", last, StringComparison.Ordinal);
        Assert.Contains("the answer above is incomplete", last, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", response.Data);
        Assert.Contains(response.Data, d => d.Contains("\"content\":\"city\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_AnthropicClient_InBandErrorIsAnAnthropicErrorEvent()
    {
        using var harness = new EngineHarness();
        harness.OnStreamFailure = StreamFailureMode.Error;
        var a = Step(Provider("a", WireFormat.Anthropic));
        // message_start, content_block_start, ping, the first text delta: then the stream stops.
        harness.Upstream.Enqueue("a", () => Answers.Stream(AnthropicStream().Take(4)));

        var response = await harness.ServeAsync(harness.Call(AnthropicClientFormat.Instance, stream: true, null, a, B));

        Assert.Equal(200, response.Status);
        Assert.Equal(0, harness.Upstream.CallsTo("b"));
        Assert.Contains("event: error", response.Text, StringComparison.Ordinal);
        Assert.StartsWith("{\"type\":\"error\"", response.Data[^1], StringComparison.Ordinal);
        Assert.Contains("\"text\":\"Hello\"", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("message_stop", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_AnthropicClientOverAnOpenAIUpstream_TranslatedThenInBandError()
    {
        using var harness = new EngineHarness();
        harness.OnStreamFailure = StreamFailureMode.Error;
        harness.Upstream.Enqueue("a", () => Answers.Stream(OpenAIStream().Take(3)));

        var response = await harness.ServeAsync(harness.Call(AnthropicClientFormat.Instance, stream: true, null, A, B));

        Assert.Equal(0, harness.Upstream.CallsTo("b"));
        Assert.Contains("event: content_block_delta", response.Text, StringComparison.Ordinal);
        Assert.StartsWith("{\"type\":\"error\"", response.Data[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_ErrorEventBeforeContent_FallsBack()
    {
        using var harness = new EngineHarness();
        harness.Upstream.Default("a", () => Answers.Stream(
            ["data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":\"overloaded\"}}"]));
        harness.Upstream.Enqueue("b", () => Answers.Stream(OpenAIStream()));

        var response = await harness.ServeAsync(harness.Call(OpenAIClientFormat.Instance, stream: true, null, A, B));

        Assert.Equal("b/m", response.Headers[SpillwayHeaders.Route]);
        Assert.Equal("[DONE]", response.Data[^1]);
        Assert.Equal("ok", harness.Outcomes()[^1]);
    }
}
