using Spillway.Core.Codecs;

namespace Spillway.Core.Tests.Codecs;

public class ResponseIdsTests
{
    [Theory]
    [InlineData("msg_01XFDUDYJgAACzvnptvVoYEL", "msg_01XFDUDYJgAACzvnptvVoYEL")]
    [InlineData("chatcmpl-ABfw1e5abtU8OwGr15vOreYVb2MiF", "msg_ABfw1e5abtU8OwGr15vOreYVb2MiF")]
    [InlineData("x9SfaLCQBs7shMIP2Mei0AI", "msg_x9SfaLCQBs7shMIP2Mei0AI")]
    [InlineData("gen-1733-Xy_z", "msg_gen-1733-Xy_z")]
    public void ForAnthropic_UpstreamId_MsgIdKeepingItsUniquePart(string upstream, string expected) =>
        Assert.Equal(expected, ResponseIds.ForAnthropic(upstream));

    [Theory]
    [InlineData("chatcmpl-ABfw1e5abtU8OwGr15vOreYVb2MiF", "chatcmpl-ABfw1e5abtU8OwGr15vOreYVb2MiF")]
    [InlineData("msg_01XFDUDYJgAACzvnptvVoYEL", "chatcmpl-01XFDUDYJgAACzvnptvVoYEL")]
    [InlineData("x9SfaLCQBs7shMIP2Mei0AI", "chatcmpl-x9SfaLCQBs7shMIP2Mei0AI")]
    public void ForOpenAI_UpstreamId_ChatcmplIdKeepingItsUniquePart(string upstream, string expected) =>
        Assert.Equal(expected, ResponseIds.ForOpenAI(upstream));

    [Theory]
    [InlineData("resp_67ccd2bed1ec8190", "resp_67ccd2bed1ec8190")]
    [InlineData("chatcmpl-ABfw1e5abtU8OwGr15vOreYVb2MiF", "resp_ABfw1e5abtU8OwGr15vOreYVb2MiF")]
    [InlineData("msg_01XFDUDYJgAACzvnptvVoYEL", "resp_01XFDUDYJgAACzvnptvVoYEL")]
    [InlineData("x9SfaLCQBs7shMIP2Mei0AI", "resp_x9SfaLCQBs7shMIP2Mei0AI")]
    public void ForResponses_UpstreamId_RespIdKeepingItsUniquePart(string upstream, string expected) =>
        Assert.Equal(expected, ResponseIds.ForResponses(upstream));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("msg_")]
    [InlineData("chatcmpl-")]
    [InlineData("id with spaces")]
    [InlineData("id\"quoted")]
    public void ForAnthropic_MissingOrOddId_RandomMsgId(string? upstream)
    {
        var id = ResponseIds.ForAnthropic(upstream);

        Assert.Matches("^msg_[A-Za-z0-9]{24}$", id);
        Assert.NotEqual(id, ResponseIds.ForAnthropic(upstream));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("msg_")]
    [InlineData("a/b")]
    public void ForOpenAI_MissingOrOddId_RandomChatcmplId(string? upstream) =>
        Assert.Matches("^chatcmpl-[A-Za-z0-9]{24}$", ResponseIds.ForOpenAI(upstream));

    [Fact]
    public void ForAnthropic_OverlongId_RandomMsgId() =>
        Assert.Matches("^msg_[A-Za-z0-9]{24}$", ResponseIds.ForAnthropic(new string('a', 129)));
}
