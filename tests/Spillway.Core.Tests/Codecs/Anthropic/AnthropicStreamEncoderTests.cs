using System.Text.Json.Nodes;
using Spillway.Core.Chat;
using Spillway.Core.Tests.Chat;

namespace Spillway.Core.Tests.Codecs.Anthropic;

public class AnthropicStreamEncoderTests
{
    [Theory]
    [InlineData("chatcmpl-ABfw1e5", "^msg_ABfw1e5$")]
    [InlineData("x9SfaLCQBs7shMIP2Mei0AI", "^msg_x9SfaLCQBs7shMIP2Mei0AI$")]
    [InlineData("", "^msg_[A-Za-z0-9]{24}$")]
    [InlineData("msg_01XFDUDYJgAACzvnptvVoYEL", "^msg_01XFDUDYJgAACzvnptvVoYEL$")]
    public async Task Write_MessageStartWithUpstreamId_MessageStartCarriesMsgId(string upstreamId, string pattern)
    {
        var sse = SseEvents.EncodeAnthropic([new MessageStartEvent(upstreamId, "m"), new TextDeltaEvent(0, "Hi")]);

        var start = (await SseEvents.ReadAsync(sse))[0];
        Assert.Equal("message_start", start.Name);
        Assert.Matches(pattern, (string?)JsonNode.Parse(start.Data)!["message"]!["id"]);
    }

    [Fact]
    public async Task Write_ContentBeforeMessageStart_MessageStartCarriesRandomMsgId()
    {
        var sse = SseEvents.EncodeAnthropic([new TextDeltaEvent(0, "Hi")]);

        var events = await SseEvents.ReadAsync(sse);
        var start = Assert.Single(events, e => e.Name == "message_start");
        Assert.Matches("^msg_[A-Za-z0-9]{24}$", (string?)JsonNode.Parse(start.Data)!["message"]!["id"]);
    }
}
