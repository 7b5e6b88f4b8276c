using System.Text;
using System.Text.Json;
using Spillway.Core.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Codecs.OpenAI;

public class OpenAIUsageReaderTests
{
    /// <summary>The body of a recorded response: everything after the blank line that ends the headers.</summary>
    private static byte[] RecordedBody(string fixture)
    {
        var text = Fixtures.ReadText(fixture).Replace("\r\n", "\n", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text[(text.IndexOf("\n\n", StringComparison.Ordinal) + 2)..]);
    }

    [Fact]
    public void Read_RecordedOpenAIResponse_ExactUsage()
    {
        var usage = OpenAIUsageReader.Read(RecordedBody("openai-chat-completion-200-with-ratelimit-headers.txt"));

        Assert.Equal(new TokenUsage(20, 18, 0, 0), usage);
    }

    [Fact]
    public void Read_OpenRouterUsageWithCost_CostAndCacheWritesRead()
    {
        // The ChatUsage example of OpenRouter's OpenAPI spec, with a cache write added.
        var body = """
            {"id":"gen-1","object":"chat.completion","choices":[],
             "usage":{"completion_tokens":15,"completion_tokens_details":{"reasoning_tokens":5},"cost":0.0012,
                      "cost_details":{"upstream_inference_completions_cost":0.0004,"upstream_inference_cost":null,"upstream_inference_prompt_cost":0.0008},
                      "is_byok":false,"prompt_tokens":10,"prompt_tokens_details":{"cached_tokens":2,"cache_write_tokens":3},
                      "server_tool_use_details":{"tool_calls_executed":2,"tool_calls_requested":2},"total_tokens":25}}
            """u8;

        var usage = OpenAIUsageReader.Read(body);

        Assert.Equal(new TokenUsage(10, 15, 2, 5, CacheWriteInputTokens: 3, ReportedCostUsd: 0.0012m), usage);
    }

    [Fact]
    public void Read_CostNotANumber_NoReportedCost()
    {
        var usage = OpenAIUsageReader.Read("""{"usage":{"prompt_tokens":1,"completion_tokens":2,"cost":"0.5"}}"""u8);

        Assert.Equal(new TokenUsage(1, 2), usage);
    }

    [Fact]
    public void Read_RecordedGroqResponse_ExactUsage()
    {
        var usage = OpenAIUsageReader.Read(RecordedBody("groq-chat-completion-200-with-ratelimit-headers.txt"));

        Assert.Equal(new TokenUsage(30, 10), usage);
    }

    [Fact]
    public void Read_CachedAndReasoningDetails_Read()
    {
        var usage = OpenAIUsageReader.Read("""
            {"id":"x","usage":{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,
             "prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},
             "completion_tokens_details":{"reasoning_tokens":256,"audio_tokens":0}},"choices":[]}
            """u8);

        Assert.Equal(new TokenUsage(1200, 300, 1024, 256), usage);
        Assert.Equal(1500, usage!.Value.TotalTokens);
    }

    [Fact]
    public void Read_UsageAfterChoices_Found()
    {
        var usage = OpenAIUsageReader.Read(
            "{\"choices\":[{\"message\":{\"content\":\"{\\\"usage\\\":1}\"}}],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":3}}"u8);

        Assert.Equal(new TokenUsage(2, 3), usage);
    }

    [Fact]
    public void Read_NullDetails_Zero()
    {
        var usage = OpenAIUsageReader.Read(
            "{\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":0,\"prompt_tokens_details\":null,\"completion_tokens_details\":null}}"u8);

        Assert.Equal(new TokenUsage(7, 0), usage);
    }

    [Fact]
    public void Read_OnlyGroqExtension_UsesIt()
    {
        var usage = OpenAIUsageReader.Read(
            "{\"x_groq\":{\"id\":\"req\",\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":5}}}"u8);

        Assert.Equal(new TokenUsage(4, 5), usage);
    }

    [Fact]
    public void Read_FloatCounts_Truncated()
    {
        Assert.Equal(
            new TokenUsage(30, 10),
            OpenAIUsageReader.Read("{\"usage\":{\"prompt_tokens\":30.0,\"completion_tokens\":10}}"u8));
    }

    [Theory]
    [InlineData("{\"id\":\"x\",\"choices\":[]}")]
    [InlineData("{\"usage\":null}")]
    [InlineData("{\"usage\":{}}")]
    [InlineData("{\"usage\":{\"total_tokens\":5}}")]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}]")]
    [InlineData("{\"choices\":[],\"usage\":{\"prompt_tokens\":1")]
    public void Read_NoUsableUsage_Null(string body)
    {
        Assert.Null(OpenAIUsageReader.Read(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void ReadUsage_ParsedUsageWithCacheWriteAndCost_ReadsEveryFigure()
    {
        using var document = JsonDocument.Parse("""
            {"prompt_tokens":100,"completion_tokens":20,"cost":0.25,
             "prompt_tokens_details":{"cached_tokens":40,"cache_write_tokens":30},
             "completion_tokens_details":{"reasoning_tokens":5}}
            """);

        Assert.Equal(new TokenUsage(100, 20, 40, 5, 30, 0.25m), OpenAIUsageReader.ReadUsage(document.RootElement));
    }

    [Fact]
    public void ReadUsage_ParsedUsageWithoutCounts_IsZeros()
    {
        using var document = JsonDocument.Parse("""{"total_tokens":5}""");

        Assert.Equal(default, OpenAIUsageReader.ReadUsage(document.RootElement));
    }

    [Fact]
    public void ReadUsage_ParsedUsageWithOnlyACost_KeepsTheCost()
    {
        using var document = JsonDocument.Parse("""{"cost":0.002}""");

        Assert.Equal(new TokenUsage(0, 0, ReportedCostUsd: 0.002m), OpenAIUsageReader.ReadUsage(document.RootElement));
    }

    [Fact]
    public void Read_BodyWhoseUsageHasOnlyACost_HasNoUsage()
    {
        Assert.Null(OpenAIUsageReader.Read("""{"id":"x","usage":{"cost":0.002}}"""u8));
    }

    [Theory]
    [InlineData("openai-chat-completion-200-with-ratelimit-headers.txt")]
    [InlineData("groq-chat-completion-200-with-ratelimit-headers.txt")]
    public void TryReadComplete_RecordedAnswer_CompleteWithTheUsageReadFinds(string fixture)
    {
        var body = RecordedBody(fixture);

        Assert.True(OpenAIUsageReader.TryReadComplete(body, out var usage));
        Assert.NotNull(usage);
        Assert.Equal(OpenAIUsageReader.Read(body), usage);
    }

    [Fact]
    public void TryReadComplete_EveryCutOfARecordedAnswer_IsIncompleteAsJsonCompletenessSays()
    {
        var body = RecordedBody("openai-chat-completion-200-with-ratelimit-headers.txt");

        for (var length = 0; length < body.Length; length++)
        {
            var cut = body.AsSpan(0, length);
            Assert.Equal(JsonCompleteness.IsComplete(cut), OpenAIUsageReader.TryReadComplete(cut, out var usage));
            if (!JsonCompleteness.IsComplete(cut))
            {
                Assert.Null(usage);
            }
        }
    }

    [Theory]
    [InlineData("""{"usage":{"prompt_tokens":1,"completion_tokens":2}} x""")]
    [InlineData("""{"usage":{"prompt_tokens":1,"completion_tokens":2}}{}""")]
    [InlineData("""{"usage":{"prompt_tokens":1,"completion_tokens":2},"choices":[}""")]
    [InlineData("")]
    public void TryReadComplete_TrailingOrBrokenJson_IsIncomplete(string body)
    {
        Assert.False(OpenAIUsageReader.TryReadComplete(Encoding.UTF8.GetBytes(body), out var usage));
        Assert.Null(usage);
    }

    [Theory]
    [InlineData("""{"id":"x","choices":[]}""")]
    [InlineData("""[1,2]""")]
    [InlineData(""" {"usage":null} """)]
    public void TryReadComplete_WholeJsonWithoutUsage_CompleteWithNone(string body)
    {
        Assert.True(OpenAIUsageReader.TryReadComplete(Encoding.UTF8.GetBytes(body), out var usage));
        Assert.Null(usage);
    }

    [Fact]
    public void TryReadComplete_UsageBeforeDeepContent_ReadsOnToTheEnd()
    {
        // Nested deeper than System.Text.Json's default 64, as JsonCompleteness allows; the usage comes first, and a
        // cut after it still makes the answer incomplete.
        var deep = new string('[', 100) + new string(']', 100);
        var body = "{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4},\"extra\":" + deep + "}";

        Assert.True(OpenAIUsageReader.TryReadComplete(Encoding.UTF8.GetBytes(body), out var usage));
        Assert.Equal(new TokenUsage(3, 4), usage);
        Assert.False(OpenAIUsageReader.TryReadComplete(Encoding.UTF8.GetBytes(body[..^5]), out _));
    }
}
