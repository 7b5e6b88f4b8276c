using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.Gemini;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Engine;
using Spillway.Core.Pricing;
using Spillway.Core.Providers;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Engine;

/// <summary>The cost of real provider answers, read by the gateway's own usage readers, against hand-computed sums.</summary>
public class CallCostTests
{
    private static ModelPrice Bundled(string route) => BundledPrices.All[route];

    [Fact]
    public void Of_OpenAIWithCachedAndReasoning_CachedAtCachedPriceReasoningAsOutput()
    {
        var body = """
            {"id":"chatcmpl-1","object":"chat.completion","choices":[],
             "usage":{"prompt_tokens":10000,"completion_tokens":3000,"total_tokens":13000,
                      "prompt_tokens_details":{"cached_tokens":4000,"audio_tokens":0},
                      "completion_tokens_details":{"reasoning_tokens":2000}}}
            """u8;
        var usage = OpenAIUsageReader.Read(body)!.Value;

        // gpt-5-mini: 6,000 uncached × 0.25 + 4,000 cached × 0.025 + 3,000 out (2,000 of them reasoning) × 2.00
        //           = 1,500 + 100 + 6,000 = 7,600 USD per million
        Assert.Equal(0.0076m, CallCost.Of(Bundled("openai/gpt-5-mini"), usage));
    }

    [Fact]
    public void Of_AnthropicWithCacheReadAndWrite_EachAtItsPrice()
    {
        var body = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"hi"}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":1000,"cache_creation_input_tokens":5000,"cache_read_input_tokens":20000,"output_tokens":800}}
            """u8;
        var usage = new AnthropicUpstreamProtocol().ReadUsage(body.ToArray())!.Value;

        Assert.Equal(new TokenUsage(26_000, 800, 20_000, 0, CacheWriteInputTokens: 5000), usage);

        // claude-sonnet-4-5: 1,000 in × 3 + 20,000 read × 0.30 + 5,000 written × 3.75 + 800 out × 15
        //                  = 3,000 + 6,000 + 18,750 + 12,000 = 39,750
        Assert.Equal(0.03975m, CallCost.Of(Bundled("anthropic/claude-sonnet-4-5"), usage));
    }

    [Fact]
    public void Of_GeminiRecordedAnswerWithThoughts_ThoughtsBilledAsOutput()
    {
        var usage = new GeminiUpstreamProtocol().ReadUsage(RecordedGeminiBody())!.Value;

        // The recording: promptTokenCount 9, candidatesTokenCount 1, thoughtsTokenCount 20.
        Assert.Equal(new TokenUsage(9, 21, 0, 20), usage);

        // gemini-2.5-flash: 9 in × 0.30 + (1 + 20) out × 2.50 = 2.7 + 52.5 = 55.2
        Assert.Equal(0.0000552m, CallCost.Of(Bundled("gemini/gemini-2.5-flash"), usage));
    }

    [Fact]
    public void Of_GeminiCachedContent_CachedAtCachedPrice()
    {
        var body = """
            {"candidates":[{"content":{"parts":[{"text":"ok"}],"role":"model"},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":2000,"cachedContentTokenCount":1000,"candidatesTokenCount":300,"thoughtsTokenCount":700,"totalTokenCount":3000}}
            """u8;
        var usage = new GeminiUpstreamProtocol().ReadUsage(body.ToArray())!.Value;

        // 1,000 uncached × 0.30 + 1,000 cached × 0.03 + (300 + 700) out × 2.50 = 300 + 30 + 2,500 = 2,830
        Assert.Equal(0.00283m, CallCost.Of(Bundled("gemini/gemini-2.5-flash"), usage));
    }

    [Fact]
    public void Of_ReasoningPricedApart_ReasoningAtItsOwnPrice()
    {
        var price = new ModelPrice(1m, 4m) { Reasoning = 10m };

        // 1,000 in × 1 + 500 visible out × 4 + 1,500 reasoning × 10 = 1,000 + 2,000 + 15,000
        Assert.Equal(0.018m, CallCost.Of(price, new TokenUsage(1000, 2000, ReasoningTokens: 1500)));
    }

    [Fact]
    public void Of_NoCachePrices_CacheBucketsAtInputPrice()
    {
        var price = new ModelPrice(0.59m, 0.79m);

        // 10,000 in × 0.59 + 500 out × 0.79 = 5,900 + 395, whatever part of the input was cached or written
        Assert.Equal(0.006295m, CallCost.Of(price, new TokenUsage(10_000, 500, 4000, 0, 2000)));
    }

    [Fact]
    public void Of_InconsistentCounts_ClampedNeverNegative()
    {
        var price = new ModelPrice(3m, 15m) { CachedInput = 0.3m, CacheWrite = 3.75m };

        // Cached above the input: all 10,000 at the cached price, nothing left to write; reasoning capped at the output.
        Assert.Equal(0.0105m, CallCost.Of(price, new TokenUsage(10_000, 500, 25_000, 9_000, 7_000)));
    }

    [Fact]
    public void Of_PromptAboveTheLongContextLimit_Null()
    {
        var price = Bundled("gemini/gemini-2.5-pro");

        Assert.NotNull(CallCost.Of(price, new TokenUsage(200_000, 10)));
        Assert.Null(CallCost.Of(price, new TokenUsage(200_001, 10)));
    }

    [Fact]
    public void Of_LargeUsage_ExactDecimal()
    {
        // 123,456,789 × 0.59 + 987,654,321 × 0.79 = 72,839,505.51 + 780,246,913.59
        Assert.Equal(853.0864191m, CallCost.Of(new ModelPrice(0.59m, 0.79m), new TokenUsage(123_456_789, 987_654_321)));
    }

    private static byte[] RecordedGeminiBody()
    {
        using var recording = JsonDocument.Parse(Fixtures.ReadText("gemini-generateContent-systemInstruction-thoughtsTokenCount-recording.json"));
        var body = recording.RootElement.GetProperty("interactions")[0].GetProperty("response").GetProperty("bodySegments")[0];
        return Encoding.UTF8.GetBytes(body.GetRawText());
    }
}
