using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Planning;

namespace Spillway.Core.Tests.Planning;

public class RequestNeedsTests
{
    private static RequestNeeds OfOpenAI(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return RequestNeeds.Of(OpenAIRequestSniffer.Sniff(body), body.Length);
    }

    [Fact]
    public void Of_OpenAIPlainRequest_NeedsNothingAndSizeIsBytesOverFour()
    {
        const string json = """{"model":"m","messages":[{"role":"user","content":"hello there, how are you?"}]}""";

        var needs = OfOpenAI(json);

        Assert.Equal(new RequestNeeds(false, false, false, json.Length / 4, null), needs);
    }

    [Fact]
    public void Of_OpenAIToolsImageJsonAndCap_EveryNeedRead()
    {
        var needs = OfOpenAI("""
            {"model":"m","max_completion_tokens":300,"response_format":{"type":"json_object"},
             "tools":[{"type":"function","function":{"name":"f"}}],
             "messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x.test/a.png"}}]}]}
            """);

        Assert.True(needs.Tools);
        Assert.True(needs.Images);
        Assert.True(needs.Json);
        Assert.Equal(300, needs.MaxOutputTokens);
    }

    [Fact]
    public void Of_DecodedRequestWithImageInToolResultAndSchema_EveryNeedRead()
    {
        var image = new ImagePart(new ImageUrlSource("https://x.test/a.png"));
        var request = new ChatRequest
        {
            Model = "m",
            Messages = [new ChatMessage(ChatRole.User, [new ToolResultPart("call-1", [image])])],
            Tools = [new ChatTool("f", null, default)],
            ResponseFormat = new ChatResponseFormat(ResponseFormatType.JsonSchema),
            MaxOutputTokens = 64,
        };

        Assert.Equal(new RequestNeeds(true, true, true, 250, 64), RequestNeeds.Of(request, 1000));
    }

    [Fact]
    public void Of_DecodedPlainRequest_NeedsNothing()
    {
        var request = new ChatRequest { Model = "m", Messages = [new ChatMessage(ChatRole.User, [new TextPart("hi")])] };

        Assert.Equal(new RequestNeeds(false, false, false, 10, null), RequestNeeds.Of(request, 40));
    }
}
