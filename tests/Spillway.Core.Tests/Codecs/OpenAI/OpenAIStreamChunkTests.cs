using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Streaming;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Codecs.OpenAI;

public class OpenAIStreamChunkTests
{
    private static ChunkInfo Inspect(string data) => OpenAIStreamChunk.Inspect(Encoding.UTF8.GetBytes(data));

    private static string OpenRouterSample(string kindPrefix)
    {
        using var document = JsonDocument.Parse(Fixtures.ReadText("openrouter-error-samples.json"));
        return document.RootElement.GetProperty("samples").EnumerateArray()
            .Single(s => s.GetProperty("kind").GetString()!.StartsWith(kindPrefix, StringComparison.Ordinal))
            .GetProperty("sse_line").GetString()!;
    }

    [Fact]
    public async Task Inspect_EveryEventOfOpenAIFixture_ClassifiedExactly()
    {
        var infos = new List<ChunkInfo>();
        await using (var reader = new SseReader(new MemoryStream(Fixtures.ReadBytes("openai-chat-stream-text.sse"))))
        {
            while (await reader.ReadNextAsync())
            {
                infos.Add(OpenAIStreamChunk.Inspect(reader.Data.Span));
            }
        }

        Assert.Equal(18, infos.Count);
        Assert.All(infos, i => Assert.False(i.IsMalformed));
        Assert.All(infos, i => Assert.False(i.IsError));

        // The role chunk has content "" and is not output; then 14 text deltas; then finish; then usage; then [DONE].
        Assert.False(infos[0].IsContentBearing);
        Assert.All(infos[1..15], i => Assert.True(i.IsContentBearing));
        Assert.All(infos[..15], i => Assert.Null(i.FinishReason));
        Assert.All(infos[..16], i => Assert.Null(i.Usage));

        Assert.True(infos[15].IsContentBearing);
        Assert.Equal("stop", infos[15].FinishReason);
        Assert.False(infos[15].IsUsageOnly);

        Assert.False(infos[16].IsContentBearing);
        Assert.True(infos[16].IsUsageOnly);
        Assert.Equal(new TokenUsage(79, 14, 0, 0), infos[16].Usage);

        Assert.True(infos[17].IsDone);
        Assert.Single(infos, i => i.IsDone);
    }

    [Fact]
    public void Inspect_OpenRouterMidStreamErrorChunk_ErrorWithStatus()
    {
        var line = OpenRouterSample("mid-stream error chunk");

        var info = OpenAIStreamChunk.Inspect(Encoding.UTF8.GetBytes(line["data: ".Length..]));

        Assert.True(info.IsError);
        Assert.False(info.IsContentBearing);
        Assert.False(info.IsUsageOnly);
        Assert.Equal("error", info.FinishReason);
        Assert.Equal(new OpenAIErrorDetails("Rate limit exceeded", "rate_limit_exceeded", null, 429, null), info.Error);
    }

    [Fact]
    public async Task Inspect_OpenRouterKeepAliveBeforeChunks_CommentSkippedByReader()
    {
        var keepAlive = OpenRouterSample("SSE keep-alive comment");
        var stream = keepAlive + "\n\n" + keepAlive + "\n\n" + OpenRouterSample("mid-stream error chunk") + "\n\n";
        await using var reader = new SseReader(new MemoryStream(Encoding.UTF8.GetBytes(stream)));

        Assert.True(await reader.ReadNextAsync());
        var info = OpenAIStreamChunk.Inspect(reader.Data.Span);

        Assert.Equal(2, reader.CommentLinesSkipped);
        Assert.True(info.IsError);
        Assert.False(await reader.ReadNextAsync());
    }

    [Fact]
    public void Inspect_OpenAIStyleErrorEvent_ReadsAllFields()
    {
        var info = Inspect("{\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":\"overloaded\"}}");

        Assert.True(info.IsError);
        Assert.Equal(new OpenAIErrorDetails("Overloaded", "server_error", "overloaded", null, null), info.Error);
    }

    [Theory]
    [InlineData("{\"error\":{\"message\":\"m\",\"code\":\"429\"}}", "429", 429)]
    [InlineData("{\"error\":{\"message\":\"m\",\"code\":\"rate_limit_exceeded\"}}", "rate_limit_exceeded", null)]
    [InlineData("{\"error\":{\"message\":\"m\",\"code\":502}}", null, 502)]
    public void Inspect_ErrorCodes_StringCodeOrStatus(string data, string? code, int? status)
    {
        var info = Inspect(data);

        Assert.Equal(code, info.Error!.Code);
        Assert.Equal(status, info.Error.Status);
    }

    [Fact]
    public void Inspect_NullError_NotAnError()
    {
        Assert.False(Inspect("{\"error\":null,\"choices\":[{\"delta\":{\"content\":\"x\"}}]}").IsError);
    }

    [Theory]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\"}}]}}]}", true)]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[]}}]}", false)]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"function_call\":{\"arguments\":\"x\"}}}]}", true)]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"no\"}}]}", true)]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"refusal\":null,\"content\":null}}]}", false)]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"hmm\"}}]}", true)]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"hmm\"}}]}", true)]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"\"}}]}", false)]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}},{\"index\":1,\"delta\":{\"content\":\"b\"}}]}", true)]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\" : \"length\"}]}", true)]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":null}]}", false)]
    [InlineData("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"the \\\"usage\\\" and \\\"error\\\"\"}}]}", true)]
    [InlineData("{\"choices\":[],\"usage\":null}", false)]
    public void Inspect_Deltas_ContentBearingAsDefined(string data, bool contentBearing)
    {
        var info = Inspect(data);

        Assert.False(info.IsMalformed);
        Assert.False(info.IsError);
        Assert.Equal(contentBearing, info.IsContentBearing);
    }

    [Fact]
    public void Inspect_GroqUsageInXGroq_UsageFromExtension()
    {
        var info = Inspect("""
            {"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],
             "x_groq":{"id":"req_01","usage":{"queue_time":0.19,"prompt_tokens":30,"prompt_time":0.01,
             "completion_tokens":10,"completion_time":0.01,"total_tokens":40,"total_time":0.02}}}
            """);

        Assert.True(info.IsContentBearing);
        Assert.False(info.IsUsageOnly);
        Assert.Equal("stop", info.FinishReason);
        Assert.Equal(new TokenUsage(30, 10), info.Usage);
    }

    [Fact]
    public void Inspect_TopLevelUsageAndXGroq_TopLevelWins()
    {
        var info = Inspect("{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6},"
            + "\"x_groq\":{\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}}");

        Assert.True(info.IsUsageOnly);
        Assert.Equal(new TokenUsage(5, 6), info.Usage);
    }

    [Fact]
    public void Inspect_UsageOnFinalContentChunk_UsageButNotUsageOnly()
    {
        var info = Inspect("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"prompt_tokens_details\":{\"cached_tokens\":8},"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":1}}}");

        Assert.True(info.IsContentBearing);
        Assert.False(info.IsUsageOnly);
        Assert.Equal(new TokenUsage(12, 3, 8, 1), info.Usage);
    }

    [Theory]
    [InlineData("[DONE]")]
    [InlineData(" [DONE]\n")]
    public void Inspect_Done_IsDone(string data)
    {
        var info = Inspect(data);

        Assert.True(info.IsDone);
        Assert.False(info.IsContentBearing);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"choices\":[{\"delta\":")]
    [InlineData("{\"usage\":{\"prompt_tokens\":1")]
    public void Inspect_BadData_MalformedNotThrown(string data)
    {
        var info = Inspect(data);

        Assert.True(info.IsMalformed);
        Assert.False(info.IsContentBearing);
        Assert.False(info.IsDone);
    }

    [Fact]
    public void Inspect_CommonChunks_AllocateNothing()
    {
        var lines = Fixtures.ReadText("openai-chat-stream-text.sse").Split('\n');
        var textDelta = Encoding.UTF8.GetBytes(lines[2]["data: ".Length..]);
        var finish = Encoding.UTF8.GetBytes(lines[30]["data: ".Length..]);
        Assert.True(OpenAIStreamChunk.Inspect(textDelta).IsContentBearing);
        Assert.Equal("stop", OpenAIStreamChunk.Inspect(finish).FinishReason);

        // The fewest bytes of three rounds: a round may catch the runtime's own one-off work (tiering up, on-stack
        // replacement of this loop) on this thread; allocating per call would show in every round.
        var fewest = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                OpenAIStreamChunk.Inspect(textDelta);
                OpenAIStreamChunk.Inspect(finish);
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }
}
