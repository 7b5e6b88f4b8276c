using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Tokens;

namespace Spillway.Core.Tests.Tokens;

public class LocalTokenCounterTests
{
    private const int Framing = LocalTokenCounter.TokensPerMessage;

    [Theory]
    [InlineData("hello world", 2)]
    [InlineData("The quick brown fox jumps over the lazy dog.", 10)]
    [InlineData("", 0)]
    public void CountText_KnownText_O200kBaseCount(string text, int expected)
    {
        Assert.Equal(expected, LocalTokenCounter.CountText(text));
    }

    [Fact]
    public void Count_OneUserMessage_TextPlusFraming()
    {
        var request = Decode("""{"model":"m","messages":[{"role":"user","content":"hello world"}]}""");

        Assert.Equal(LocalTokenCounter.ReplyPriming + Framing + 2, LocalTokenCounter.Count(request));
    }

    [Fact]
    public void Count_SystemPrompt_CountedAsOneMoreMessage()
    {
        var without = Decode("""{"model":"m","messages":[{"role":"user","content":"hello world"}]}""");
        var with = Decode("""{"model":"m","system":[{"type":"text","text":"The quick brown fox jumps over the lazy dog."}],"messages":[{"role":"user","content":"hello world"}]}""");

        Assert.Equal(Framing + 10, LocalTokenCounter.Count(with) - LocalTokenCounter.Count(without));
    }

    [Fact]
    public void Count_ToolDefinition_NameDescriptionAndSchemaCounted()
    {
        const string Schema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";
        var without = Decode("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""");
        var with = Decode("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tools":[{"name":"get_weather","description":"Current weather in a city.","input_schema":""" + Schema + "}]}");

        var expected = LocalTokenCounter.CountText("get_weather") + LocalTokenCounter.CountText("Current weather in a city.") + LocalTokenCounter.CountText(Schema);
        Assert.Equal(expected, LocalTokenCounter.Count(with) - LocalTokenCounter.Count(without));
        Assert.True(LocalTokenCounter.CountText(Schema) > 10);
    }

    [Fact]
    public void Count_ToolUseAndToolResult_InputJsonAndResultTextCounted()
    {
        var request = Decode("""
            {"model":"m","messages":[
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"Sunny, 24 degrees."}]}]}
            """);
        var call = Assert.IsType<ToolCallPart>(request.Messages[1].Content[0]);

        var expected = LocalTokenCounter.ReplyPriming + (3 * Framing)
            + LocalTokenCounter.CountText("Weather in Paris?")
            + LocalTokenCounter.CountText("get_weather") + LocalTokenCounter.CountText(call.ArgumentsJson)
            + LocalTokenCounter.CountText("Sunny, 24 degrees.");
        Assert.Equal(expected, LocalTokenCounter.Count(request));
        Assert.Contains("Paris", call.ArgumentsJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Count_LongerText_MoreTokens()
    {
        var shortOne = Decode("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""");
        var longOne = Decode("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""") with
        {
            Messages = [new ChatMessage(ChatRole.User, [new TextPart(string.Concat(Enumerable.Repeat("tokenizer ", 200)))])],
        };

        Assert.InRange(LocalTokenCounter.Count(longOne) - LocalTokenCounter.Count(shortOne), 190, 410);
    }

    [Fact]
    public void CountText_OneMegabyteWithoutWhitespace_IsCountedQuicklyInPieces()
    {
        // Byte-pair encoding of one 1 MB "word" in one piece takes minutes: a request body could hold a core.
        var text = new string('x', 1024 * 1024);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var tokens = LocalTokenCounter.CountText(text);

        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.InRange(tokens, text.Length / 10, text.Length / 4);
    }

    [Fact]
    public void CountText_RunLongerThanAPiece_CountsAboutTheSameAsInOnePiece()
    {
        var run = Convert.ToBase64String(Enumerable.Range(0, 3000).Select(i => (byte)(i * 37 % 251)).ToArray());

        var whole = CountWhole(run);
        var counted = LocalTokenCounter.CountText("see " + run + " here") - LocalTokenCounter.CountText("see  here");

        Assert.InRange(counted, whole * 0.95, whole * 1.05);
    }

    [Fact]
    public void CountText_SurrogatePairAtACut_IsNotSplit()
    {
        var text = new string('a', LocalTokenCounter.MaxRunChars) + string.Concat(Enumerable.Repeat("😀", 200));

        Assert.True(LocalTokenCounter.CountText(text) > 0);
    }

    private static int CountWhole(string text) =>
        Microsoft.ML.Tokenizers.TiktokenTokenizer.CreateForEncoding("o200k_base").CountTokens(text);

    private static ChatRequest Decode(string json) =>
        AnthropicRequestDecoder.DecodeCountTokens(Encoding.UTF8.GetBytes(json)).Value;
}
