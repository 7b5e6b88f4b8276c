using System.Buffers;
using System.Text;
using System.Text.Json;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Engine;

namespace Spillway.Core.Tests.Codecs.OpenAI;

public class OpenAIClientFormatTests
{
    private const string Tricky = "say \"hi\"\nthen \\ stop";

    private static string Write(Action<IBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Name_IsOpenai()
    {
        Assert.Equal("openai", OpenAIClientFormat.Instance.Name);
    }

    [Fact]
    public void WriteError_AllFields_EachInItsOwnKey()
    {
        var error = new ClientError(404, "The model 'x' does not exist", "invalid_request_error", "model_not_found", "model");

        var text = Write(o => OpenAIClientFormat.Instance.WriteError(o, error));

        using var document = JsonDocument.Parse(text);
        var body = document.RootElement.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("The model 'x' does not exist", body.GetProperty("message").GetString());
        Assert.Equal("invalid_request_error", body.GetProperty("type").GetString());
        Assert.Equal("model", body.GetProperty("param").GetString());
        Assert.Equal("model_not_found", body.GetProperty("code").GetString());
        Assert.Single(document.RootElement.EnumerateObject());
    }

    [Fact]
    public void WriteError_NoCodeOrParam_AllFourKeysWithNulls()
    {
        var error = new ClientError(502, "upstream failed", "upstream_error");

        var text = Write(o => OpenAIClientFormat.Instance.WriteError(o, error));

        Assert.Equal(
            "{\"error\":{\"message\":\"upstream failed\",\"type\":\"upstream_error\",\"param\":null,\"code\":null}}", text);
    }

    [Fact]
    public void WriteError_QuotesAndNewlines_EscapedOnOneLine()
    {
        var text = Write(o => OpenAIClientFormat.Instance.WriteError(o, ClientError.InvalidRequest(Tricky)));

        Assert.DoesNotContain('\n', text);
        Assert.Contains("\\n", text, StringComparison.Ordinal);
        Assert.Contains("\\\\", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"hi\"", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text);
        Assert.Equal(Tricky, document.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void WriteStreamError_SingleDataEventWithoutDone()
    {
        var error = new ClientError(502, Tricky, "upstream_error", "rate_limited");

        var text = Write(o => OpenAIClientFormat.Instance.WriteStreamError(o, error));

        Assert.StartsWith("data: {\"error\":{", text, StringComparison.Ordinal);
        Assert.EndsWith("}}\n\n", text, StringComparison.Ordinal);
        Assert.Equal(2, text.Count(c => c == '\n'));
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text["data: ".Length..^2]);
        var body = document.RootElement.GetProperty("error");
        Assert.Equal(Tricky, body.GetProperty("message").GetString());
        Assert.Equal("upstream_error", body.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("param").ValueKind);
        Assert.Equal("rate_limited", body.GetProperty("code").GetString());
    }

    [Fact]
    public void WriteStreamError_PlainMessage_ExactBytes()
    {
        var error = new ClientError(502, "cut", "upstream_error", "server_error");

        var text = Write(o => OpenAIClientFormat.Instance.WriteStreamError(o, error));

        Assert.Equal(
            "data: {\"error\":{\"message\":\"cut\",\"type\":\"upstream_error\",\"param\":null,\"code\":\"server_error\"}}\n\n",
            text);
    }
}
