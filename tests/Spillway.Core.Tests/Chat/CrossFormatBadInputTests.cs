using System.Text;
using System.Text.Json;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.Gemini;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Core.Tests.Chat;

/// <summary>Requests that pass the door but are odd enough to break a translation: each is an error value, never an exception.</summary>
public class CrossFormatBadInputTests
{
    [Fact]
    public void OpenAIJsonSchemaWithoutASchema_ToAnthropic_AnySchema()
    {
        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(
            """{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"answer"}}}""")).Value;

        var encoded = AnthropicRequestEncoder.Encode(request, defaultMaxTokens: 64).Value;

        using var body = JsonDocument.Parse(encoded.Body);
        Assert.Equal("{}", body.RootElement.GetProperty("output_config").GetProperty("format").GetProperty("schema").GetRawText());
    }

    [Theory]
    [InlineData("5")]
    [InlineData("\"x\"")]
    public void OpenAIJsonSchemaThatIsNotAnObject_InvalidRequest(string jsonSchema)
    {
        var result = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":" + jsonSchema + "}}"));

        Assert.Equal("response_format", result.Error!.Param);
    }

    [Fact]
    public void NumberBeyondDoubleRange_NotCarriedAsInfinity()
    {
        var request = OpenAIChatRequestDecoder.Decode(Encoding.UTF8.GetBytes(
            """{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":1e400,"top_p":-1e400}""")).Value;

        Assert.Null(request.Temperature);
        Assert.Null(request.TopP);
        Assert.True(AnthropicRequestEncoder.Encode(request, 64).IsSuccess);
    }

    [Theory]
    [InlineData("""{"type":"image","source":5}""")]
    [InlineData("""{"type":"document","source":{}}""")]
    public void AnthropicContentGeminiCannotTake_CountTokensRequestIsAnError(string block)
    {
        var request = AnthropicRequestDecoder.DecodeCountTokens(Encoding.UTF8.GetBytes(
            "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[" + block + "]}]}")).Value;

        var encoded = GeminiCountTokens.EncodeRequest(request);

        Assert.NotNull(encoded.Error);
    }

    [Fact]
    public void AnthropicTemperatureBeyondDoubleRange_InvalidRequest()
    {
        var result = AnthropicRequestDecoder.Decode(Encoding.UTF8.GetBytes(
            """{"model":"m","max_tokens":64,"temperature":1e400,"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal("temperature", result.Error!.Param);
    }
}
