using System.Text;
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
}
