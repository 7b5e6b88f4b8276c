using System.Text;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.OpenAI;

namespace Spillway.Core.Tests.Codecs.OpenAI;

public class OpenAIRequestSnifferTests
{
    private const string Messages = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private static ChatRequestSniff Sniff(string json) => OpenAIRequestSniffer.Sniff(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Sniff_FullRequest_ReadsEveryRoutingField()
    {
        var sniff = Sniff("""
            {
              "model": "gpt-4o",
              "messages": [
                {"role": "system", "content": "be brief"},
                {"role": "user", "content": [
                  {"type": "text", "text": "what is this?"},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "low"}}
                ]}
              ],
              "stream": true,
              "stream_options": {"include_usage": true, "include_obfuscation": false},
              "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object"}}}],
              "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}}},
              "max_tokens": 100,
              "max_completion_tokens": 2000,
              "temperature": 0.2
            }
            """);

        Assert.True(sniff.IsValid);
        Assert.Null(sniff.Failure);
        Assert.Equal("gpt-4o", sniff.Model);
        Assert.Empty(sniff.Models);
        Assert.True(sniff.Stream);
        Assert.True(sniff.HasStreamOptions);
        Assert.True(sniff.IncludeUsage);
        Assert.True(sniff.HasTools);
        Assert.False(sniff.HasFunctions);
        Assert.True(sniff.UsesTools);
        Assert.True(sniff.HasImages);
        Assert.Equal(ResponseFormatKind.JsonSchema, sniff.ResponseFormat);
        Assert.True(sniff.IsJsonMode);
        Assert.Equal(100, sniff.MaxTokens);
        Assert.Equal(2000, sniff.MaxCompletionTokens);
        Assert.Equal(2000, sniff.OutputTokenLimit);
        Assert.Equal(9, sniff.Properties.Length);
    }

    [Fact]
    public void Sniff_MinimalRequest_Defaults()
    {
        var sniff = Sniff("{\"model\":\"m\"," + Messages + "}");

        Assert.True(sniff.IsValid);
        Assert.Equal("m", sniff.Model);
        Assert.False(sniff.Stream);
        Assert.False(sniff.HasStreamOptions);
        Assert.Null(sniff.IncludeUsage);
        Assert.False(sniff.UsesTools);
        Assert.False(sniff.HasImages);
        Assert.Equal(ResponseFormatKind.Unspecified, sniff.ResponseFormat);
        Assert.False(sniff.IsJsonMode);
        Assert.Null(sniff.OutputTokenLimit);
    }

    [Fact]
    public void Sniff_ModelsOnly_ReadsChainInOrder()
    {
        var sniff = Sniff("{\"models\":[\"a/b:free\",\"c/d\"]," + Messages + "}");

        Assert.True(sniff.IsValid);
        Assert.Null(sniff.Model);
        Assert.Equal<string>(["a/b:free", "c/d"], sniff.Models);
    }

    [Theory]
    [InlineData("\"tools\":[]", false, false)]
    [InlineData("\"tools\":null", false, false)]
    [InlineData("\"functions\":[{\"name\":\"f\"}]", false, true)]
    [InlineData("\"functions\":null", false, false)]
    [InlineData("\"tools\":[{\"type\":\"function\"}],\"functions\":[]", true, true)]
    public void Sniff_ToolsAndFunctions_PresenceAsSent(string fields, bool hasTools, bool hasFunctions)
    {
        var sniff = Sniff("{\"model\":\"m\"," + Messages + "," + fields + "}");

        Assert.Equal(hasTools, sniff.HasTools);
        Assert.Equal(hasFunctions, sniff.HasFunctions);
    }

    [Theory]
    [InlineData("{\"type\":\"json_object\"}", ResponseFormatKind.JsonObject, true)]
    [InlineData("{\"type\":\"text\"}", ResponseFormatKind.Text, false)]
    [InlineData("{\"type\":\"grammar\"}", ResponseFormatKind.Other, false)]
    [InlineData("{\"json_schema\":{\"type\":\"json_object\"},\"type\":\"json_schema\"}", ResponseFormatKind.JsonSchema, true)]
    [InlineData("null", ResponseFormatKind.Unspecified, false)]
    public void Sniff_ResponseFormat_Classified(string value, ResponseFormatKind kind, bool jsonMode)
    {
        var sniff = Sniff("{\"model\":\"m\"," + Messages + ",\"response_format\":" + value + "}");

        Assert.Equal(kind, sniff.ResponseFormat);
        Assert.Equal(jsonMode, sniff.IsJsonMode);
    }

    [Theory]
    [InlineData("{\"type\":\"text\",\"text\":\"image_url\"}", false)]
    [InlineData("{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\"}}", true)]
    [InlineData("{\"image_url\":{\"url\":\"https://x/y.png\"}}", true)]
    [InlineData("{\"type\":\"input_audio\",\"input_audio\":{\"data\":\"AA\",\"format\":\"wav\"}}", false)]
    public void Sniff_ContentParts_DetectsImagesOnly(string part, bool hasImages)
    {
        var sniff = Sniff("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[" + part + "]}]}");

        Assert.True(sniff.IsValid);
        Assert.Equal(hasImages, sniff.HasImages);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("null", false)]
    public void Sniff_StreamValues_ReadAsBoolean(string value, bool expected)
    {
        Assert.Equal(expected, Sniff("{\"model\":\"m\"," + Messages + ",\"stream\":" + value + "}").Stream);
    }

    [Fact]
    public void Sniff_NullMaxTokens_ValidAndNull()
    {
        var sniff = Sniff("{\"model\":\"m\"," + Messages + ",\"max_tokens\":null}");

        Assert.True(sniff.IsValid);
        Assert.Null(sniff.MaxTokens);
    }

    [Theory]
    [InlineData("max_tokens", "1.5")]
    [InlineData("max_tokens", "\"100\"")]
    [InlineData("max_tokens", "0")]
    [InlineData("max_tokens", "-5")]
    [InlineData("max_tokens", "1e308")]
    [InlineData("max_tokens", "99999999999999999999")]
    [InlineData("max_tokens", "2147483648")]
    [InlineData("max_completion_tokens", "1000000000000")]
    [InlineData("max_completion_tokens", "true")]
    public void Sniff_TokenLimitNotAWholeNumberInRange_Refused(string field, string value)
    {
        var sniff = Sniff("{\"model\":\"m\"," + Messages + ",\"" + field + "\":" + value + "}");

        Assert.False(sniff.IsValid);
        Assert.Equal(field, sniff.Failure!.Param);
        Assert.Contains("whole number from 1 to 2147483647", sniff.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sniff_TokenLimitAtInt32Max_Kept()
    {
        Assert.Equal(int.MaxValue, Sniff("{\"model\":\"m\"," + Messages + ",\"max_tokens\":2147483647}").MaxTokens);
    }

    [Fact]
    public void Sniff_EscapedPropertyNames_MatchedUnescaped()
    {
        var sniff = Sniff("{\"mod\\u0065l\":\"m\",\"me\\u0073sages\":[{\"role\":\"user\",\"content\":\"x\"}],\"str\\u0065am\":true}");

        Assert.True(sniff.IsValid);
        Assert.Equal("m", sniff.Model);
        Assert.True(sniff.Stream);
        Assert.True(sniff.Properties[0].NameIsEscaped);
        Assert.Equal("model", sniff.Properties[0].GetName(Encoding.UTF8.GetBytes("{\"mod\\u0065l\":\"m\"}")));
    }

    [Fact]
    public void Sniff_Properties_RangesCoverNameToValueEnd()
    {
        const string Json = "{ \"model\" : \"a\\\"b\" ,\n\"n\":-1.5e3,\"x\":{\"y\":[1,{}]},\"t\":true,\"z\":null,"
            + "\"s\":\"\\u00e9\"," + Messages + " }";
        var body = Encoding.UTF8.GetBytes(Json);

        var sniff = OpenAIRequestSniffer.Sniff(body);

        Assert.True(sniff.IsValid);
        var texts = sniff.Properties.Select(p => Encoding.UTF8.GetString(body[p.Range])).ToList();
        Assert.Equal(
            ["\"model\" : \"a\\\"b\"", "\"n\":-1.5e3", "\"x\":{\"y\":[1,{}]}", "\"t\":true", "\"z\":null",
                "\"s\":\"\\u00e9\"", Messages],
            texts);
        Assert.Equal("\"a\\\"b\"", Encoding.UTF8.GetString(body[sniff.Properties[0].ValueRange]));
        Assert.Equal("a\"b", sniff.Model);
        Assert.True(sniff.Properties[0].NameEquals(body, "model"));
        Assert.False(sniff.Properties[0].NameEquals(body, "models"));
    }

    [Fact]
    public void Sniff_MoreThanSixteenProperties_KeepsEveryOneInOrder()
    {
        var extra = string.Concat(Enumerable.Range(0, 40).Select(i => $"\"p{i}\":{i},"));
        var body = Encoding.UTF8.GetBytes("{\"model\":\"m\"," + extra + Messages + "}");

        var sniff = OpenAIRequestSniffer.Sniff(body);

        Assert.True(sniff.IsValid);
        Assert.Equal(42, sniff.Properties.Length);
        Assert.True(sniff.Properties[0].NameEquals(body, "model"));
        Assert.Equal(
            Enumerable.Range(0, 40).Select(i => $"\"p{i}\":{i}"),
            sniff.Properties.Skip(1).Take(40).Select(p => Encoding.UTF8.GetString(body[p.Range])));
        Assert.Equal(Messages, Encoding.UTF8.GetString(body[sniff.Properties[41].Range]));
    }

    [Theory]
    [InlineData("", null, "empty")]
    [InlineData("  \r\n ", null, "empty")]
    [InlineData("hello", null, "not valid JSON")]
    [InlineData("{\"model\":\"m\",}", null, "not valid JSON")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]} x", null, "not valid JSON")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}{}", null, "not valid JSON")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi", null, "truncated")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"n\":1", null, "truncated")]
    [InlineData("{\"model\":\"m\",\"stream\":tr", null, "truncated")]
    [InlineData("{", null, "truncated")]
    [InlineData("[{\"model\":\"m\"}]", null, "must be a JSON object")]
    [InlineData("\"model\"", null, "must be a JSON object")]
    [InlineData("{\"messages\":[{\"role\":\"user\"}]}", "model", "'model'")]
    [InlineData("{\"model\":\"\",\"messages\":[{\"role\":\"user\"}]}", "model", "'model'")]
    [InlineData("{\"model\":null,\"models\":[],\"messages\":[{\"role\":\"user\"}]}", "model", "'model'")]
    [InlineData("{\"model\":5,\"messages\":[{\"role\":\"user\"}]}", "model", "'model' must be a string")]
    [InlineData("{\"model\":[\"a\"],\"messages\":[{\"role\":\"user\"}]}", "model", "'model' must be a string")]
    [InlineData("{\"models\":[\"a\",3],\"messages\":[{\"role\":\"user\"}]}", "models", "'models'")]
    [InlineData("{\"models\":\"a\",\"messages\":[{\"role\":\"user\"}]}", "models", "'models'")]
    [InlineData("{\"model\":\"m\"}", "messages", "missing 'messages'")]
    [InlineData("{\"model\":\"m\",\"messages\":{\"role\":\"user\"}}", "messages", "must be an array")]
    [InlineData("{\"model\":\"m\",\"messages\":null}", "messages", "must be an array")]
    [InlineData("{\"model\":\"m\",\"messages\":[]}", "messages", "at least one")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"stream\":\"true\"}", "stream", "'stream' must be a boolean")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"stream\":1}", "stream", "'stream' must be a boolean")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"temperature\":\"hot\"}", "temperature", "'temperature' must be a number")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"top_p\":[1]}", "top_p", "'top_p' must be a number")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}],\"temperature\":1e400}", "temperature", "'temperature' must be a number")]
    [InlineData("{\"model\":\"m\",\"messages\":[1]}", "messages[0]", "must be an object")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"},{\"content\":\"hi\"}]}", "messages[1].role", "has no 'role'")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\"}]}", "messages[0].role", "must be one of system, developer, user")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":3}]}", "messages[0].role", "must be one of")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":42}]}", "messages[0].content", "a string or an array")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":{\"text\":\"hi\"}}]}", "messages[0].content", "a string or an array")]
    [InlineData("{\"model\":\"a\",\"mod\\u0065l\":\"b\",\"messages\":[{\"role\":\"user\"}]}", "model", "'model' appears more than once")]
    [InlineData("{\"model\":\"m\",\"stream\":false,\"messages\":[{\"role\":\"user\"}],\"stream\":true}", "stream", "'stream' appears more than once")]
    [InlineData("{\"model\":\"m\\r\\nX-Injected: 1\",\"messages\":[{\"role\":\"user\"}]}", "model", "'model' contains control characters: 'm\\u000d\\u000aX-Injected: 1'")]
    [InlineData("{\"models\":[\"a\",\"b\\u0000\"],\"messages\":[{\"role\":\"user\"}]}", "models", "'models' contains control characters")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\\ud800b\"}]}", null, "unpaired surrogate")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"\\udc00\"}]}", null, "unpaired surrogate")]
    [InlineData("{\"model\":\"\\ud83d\",\"messages\":[{\"role\":\"user\"}]}", null, "unpaired surrogate")]
    [InlineData("{\"model\":\"m\",\"\\ud800\":1,\"messages\":[{\"role\":\"user\"}]}", null, "unpaired surrogate")]
    public void Sniff_InvalidBody_FailureWithParam(string json, string? param, string messageFragment)
    {
        var sniff = Sniff(json);

        Assert.False(sniff.IsValid);
        Assert.NotNull(sniff.Failure);
        Assert.Equal(param, sniff.Failure.Param);
        Assert.Contains(messageFragment, sniff.Failure.Message, StringComparison.Ordinal);
        Assert.Null(sniff.Model);
        Assert.Empty(sniff.Properties);
    }

    [Fact]
    public void Sniff_ModelLongerThan256Characters_Refused()
    {
        var sniff = Sniff("{\"model\":\"" + new string('m', 257) + "\"," + Messages + "}");

        Assert.Equal("model", sniff.Failure!.Param);
        Assert.Contains("longer than 256 characters", sniff.Failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void Sniff_InvalidUtf8_Refused(byte[] bad)
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""), .. bad, .. "\"}]}"u8];

        var sniff = OpenAIRequestSniffer.Sniff(body);

        Assert.Contains("not valid UTF-8", sniff.Failure!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\\ud83d\\ude00")]
    [InlineData("\\\\ud800")]
    [InlineData("\\u00e9\\n")]
    public void Sniff_ValidEscapes_Accepted(string content)
    {
        Assert.True(Sniff("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}").IsValid);
    }

    [Theory]
    [InlineData("system")]
    [InlineData("developer")]
    [InlineData("assistant")]
    [InlineData("tool")]
    [InlineData("function")]
    public void Sniff_EveryChatRole_Accepted(string role)
    {
        Assert.True(Sniff("{\"model\":\"m\",\"messages\":[{\"role\":\"" + role + "\",\"content\":null}]}").IsValid);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    [InlineData(1000, false)]
    public void Sniff_Nesting_RefusedBeyond64Levels(int levels, bool valid)
    {
        // The root object is level 1; "x" adds levels - 1 nested arrays.
        var nested = new string('[', levels - 1) + new string(']', levels - 1);
        var sniff = Sniff("{\"model\":\"m\"," + Messages + ",\"x\":" + nested + "}");

        Assert.Equal(valid, sniff.IsValid);
        if (!valid)
        {
            Assert.Contains("deeper than 64", sniff.Failure!.Message, StringComparison.Ordinal);
            Assert.Null(sniff.Failure.Param);
        }
    }

    [Fact]
    public void Sniff_DeepNestingInsideMessages_Refused()
    {
        var nested = new string('[', 70) + new string(']', 70);
        var sniff = Sniff("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"x\":" + nested + "}]}]}");

        Assert.False(sniff.IsValid);
        Assert.Contains("deeper than 64", sniff.Failure!.Message, StringComparison.Ordinal);
    }
}
