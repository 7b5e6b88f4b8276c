using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Spillway.Core.Codecs.Gemini;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Core.Tests.Codecs.Gemini;

public sealed class GeminiEmbeddingsTests
{
    [Fact]
    public void WriteRequest_OneText_EmbedContentShape()
    {
        var output = new ArrayBufferWriter<byte>();

        GeminiEmbeddings.WriteRequest(output, "gemini-embedding-001", ["Hello \"world\""], 768, list: false);

        Assert.Equal("""{"content":{"parts":[{"text":"Hello \"world\""}]},"outputDimensionality":768}""", Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal("models/gemini-embedding-001:embedContent", GeminiEmbeddings.PathFor("gemini-embedding-001", 1, list: false));
    }

    [Fact]
    public void WriteRequest_List_BatchShapeNamingTheModelInEachRequest()
    {
        var output = new ArrayBufferWriter<byte>();

        GeminiEmbeddings.WriteRequest(output, "gemini-embedding-001", ["a"], null, list: true);

        Assert.Equal(
            """{"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"a"}]}}]}""",
            Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Equal("models/gemini-embedding-001:batchEmbedContents", GeminiEmbeddings.PathFor("gemini-embedding-001", 1, list: true));
    }

    [Fact]
    public void ReadVectors_BothAnswerShapes()
    {
        var one = GeminiEmbeddings.ReadVectors("""{"embedding":{"values":[0.5,-0.25]}}"""u8);
        var many = GeminiEmbeddings.ReadVectors("""{"embeddings":[{"values":[1]},{"values":[2,3]}]}"""u8);

        Assert.Equal([0.5f, -0.25f], Assert.Single(one!));
        Assert.Equal([[1f], [2f, 3f]], many!);
    }

    [Theory]
    [InlineData("""{"candidates":[]}""")]
    [InlineData("""{"embedding":{"values":"x"}}""")]
    [InlineData("""{"embeddings":{}}""")]
    [InlineData("""[{"error":{"code":429}}]""")]
    public void ReadVectors_NotAnEmbeddingsAnswer_Null(string json)
    {
        Assert.Null(GeminiEmbeddings.ReadVectors(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void OpenAIEmbeddingsWriter_FloatsAndBase64_OpenAIsListShape()
    {
        float[][] vectors = [[0.5f, -1f], [0.125f, 2f]];
        var floats = new ArrayBufferWriter<byte>();
        var base64 = new ArrayBufferWriter<byte>();

        OpenAIEmbeddingsWriter.Write(floats, vectors, "gemini-embedding-001", base64: false, promptTokens: 7);
        OpenAIEmbeddingsWriter.Write(base64, vectors, "gemini-embedding-001", base64: true, promptTokens: 7);

        Assert.Equal(
            """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-1]},{"object":"embedding","index":1,"embedding":[0.125,2]}],"model":"gemini-embedding-001","usage":{"prompt_tokens":7,"total_tokens":7}}""",
            Encoding.UTF8.GetString(floats.WrittenSpan));
        using var json = JsonDocument.Parse(base64.WrittenMemory);
        var bytes = Convert.FromBase64String(json.RootElement.GetProperty("data")[1].GetProperty("embedding").GetString()!);
        Assert.Equal([0.125f, 2f], [BinaryPrimitives.ReadSingleLittleEndian(bytes), BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(4))]);
    }
}
