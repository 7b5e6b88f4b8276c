using System.Text;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Core.Tests.Codecs.OpenAI;

public sealed class OpenAIEmbeddingsSnifferTests
{
    private static ChatResultOf Sniff(string json)
    {
        var result = OpenAIEmbeddingsSniffer.Sniff(Encoding.UTF8.GetBytes(json));
        return new(result.Error is null ? result.Value : null, result.Error?.Message, result.Error?.Param, result.Error?.Status);
    }

    [Fact]
    public void Sniff_OneString_TextWithDimensionsAndBase64()
    {
        var sniffed = Sniff("""{"model":"embed","input":"hello \u00e9","dimensions":256,"encoding_format":"base64","user":"u"}""").Request!;

        Assert.Equal("embed", sniffed.Model);
        Assert.Equal(EmbeddingsInputKind.Text, sniffed.InputKind);
        Assert.Equal(1, sniffed.InputCount);
        Assert.Equal(256, sniffed.Dimensions);
        Assert.True(sniffed.Base64);
        Assert.Equal(["hello é"], sniffed.Texts());
    }

    [Fact]
    public void Sniff_ListOfStrings_CountsAndDecodesThemInOrder()
    {
        var sniffed = Sniff("""{"input":["a","b","c"],"model":"m","encoding_format":"float"}""").Request!;

        Assert.Equal(EmbeddingsInputKind.Texts, sniffed.InputKind);
        Assert.Equal(3, sniffed.InputCount);
        Assert.False(sniffed.Base64);
        Assert.Null(sniffed.Dimensions);
        Assert.Equal(["a", "b", "c"], sniffed.Texts());
    }

    [Theory]
    [InlineData("""{"model":"m","input":[1,2,3]}""", EmbeddingsInputKind.Tokens, 1, 3)]
    [InlineData("""{"model":"m","input":[[1,2],[3]]}""", EmbeddingsInputKind.TokenLists, 2, 3)]
    public void Sniff_TokenIds_CountsVectorsAndIds(string json, EmbeddingsInputKind kind, int vectors, long ids)
    {
        var sniffed = Sniff(json).Request!;

        Assert.Equal(kind, sniffed.InputKind);
        Assert.Equal(vectors, sniffed.InputCount);
        Assert.Equal(ids, sniffed.TokenIdCount);
        Assert.True(sniffed.IsTokenInput);
        Assert.Empty(sniffed.Texts());
    }

    [Theory]
    [InlineData("[]", null)]
    [InlineData("""{"input":"x"}""", "model")]
    [InlineData("""{"model":"m"}""", "input")]
    [InlineData("""{"model":"m","input":""}""", "input")]
    [InlineData("""{"model":"m","input":[]}""", "input")]
    [InlineData("""{"model":"m","input":["a",""]}""", "input")]
    [InlineData("""{"model":"m","input":["a",1]}""", "input")]
    [InlineData("""{"model":"m","input":[[]]}""", "input")]
    [InlineData("""{"model":"m","input":[-1]}""", "input")]
    [InlineData("""{"model":"m","input":{"text":"a"}}""", "input")]
    [InlineData("""{"model":"m","input":"a","dimensions":0}""", "dimensions")]
    [InlineData("""{"model":"m","input":"a","dimensions":"8"}""", "dimensions")]
    [InlineData("""{"model":"m","input":"a","encoding_format":"int8"}""", "encoding_format")]
    [InlineData("""{"model":"m","model":"n","input":"a"}""", "model")]
    [InlineData("""{"model":"","input":"a"}""", "model")]
    public void Sniff_BadInput_400NamingTheField(string json, string? param)
    {
        var sniffed = Sniff(json);

        Assert.Null(sniffed.Request);
        Assert.Equal(400, sniffed.Status);
        Assert.Equal(param, sniffed.Param);
    }

    [Fact]
    public void Sniff_MoreThan2048Inputs_Refused()
    {
        var json = "{\"model\":\"m\",\"input\":[" + string.Join(',', Enumerable.Repeat("\"a\"", OpenAIEmbeddingsSniffer.MaxInputs + 1)) + "]}";

        Assert.Contains("2048", Sniff(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sniff_NotJson_400()
    {
        Assert.Equal(400, Sniff("{\"model\":").Status);
    }

    private sealed record ChatResultOf(EmbeddingsRequest? Request, string? Message, string? Param, int? Status);
}
