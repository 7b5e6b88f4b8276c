using System.Buffers;
using System.Text;
using System.Text.Json;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Streaming;

namespace Spillway.Core.Tests.Codecs.OpenAI;

public class OpenAIErrorWriterTests
{
    [Fact]
    public void CreateBody_AllFields_ExactJson()
    {
        var body = OpenAIErrorWriter.CreateBody("Bad model", "invalid_request_error", "model", "model_not_found");

        Assert.Equal(
            "{\"error\":{\"message\":\"Bad model\",\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_found\"}}",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void CreateBody_AbsentFields_AllFourKeysWithNulls()
    {
        var body = OpenAIErrorWriter.CreateBody("Every route is rate limited", null);

        Assert.Equal(
            "{\"error\":{\"message\":\"Every route is rate limited\",\"type\":null,\"param\":null,\"code\":null}}",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void WriteBody_MessageNeedingEscapes_ParsesBackExactly()
    {
        const string Message = "quote \" backslash \\ newline \n tab \t <tag> & ünï ✓ \u0001";
        var output = new ArrayBufferWriter<byte>();

        OpenAIErrorWriter.WriteBody(output, Message, "server_error");

        using var document = JsonDocument.Parse(output.WrittenMemory);
        var error = document.RootElement.GetProperty("error");
        Assert.Equal(Message, error.GetProperty("message").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(JsonValueKind.Null, error.GetProperty("code").ValueKind);
    }

    [Fact]
    public void WriteStreamError_ExactEventWithoutDone()
    {
        var output = new ArrayBufferWriter<byte>();

        OpenAIErrorWriter.WriteStreamError(output, "Upstream failed", "server_error", code: "upstream_error");

        Assert.Equal(
            "data: {\"error\":{\"message\":\"Upstream failed\",\"type\":\"server_error\",\"param\":null,\"code\":\"upstream_error\"}}\n\n",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public async Task WriteStreamError_AfterChunks_ReadBackAsErrorChunkAndNoDone()
    {
        var output = new ArrayBufferWriter<byte>();
        SseWriter.WriteEvent(output, "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}"u8);
        OpenAIErrorWriter.WriteStreamError(output, "line one\nline two", "server_error");

        var infos = new List<ChunkInfo>();
        await using var reader = new SseReader(new MemoryStream(output.WrittenSpan.ToArray()));
        while (await reader.ReadNextAsync())
        {
            infos.Add(OpenAIStreamChunk.Inspect(reader.Data.Span));
        }

        Assert.Equal(2, infos.Count);
        Assert.True(infos[0].IsContentBearing);
        Assert.True(infos[1].IsError);
        Assert.Equal("line one\nline two", infos[1].Error!.Message);
        Assert.DoesNotContain(infos, i => i.IsDone);
        Assert.False(reader.EndedMidEvent);
    }
}
