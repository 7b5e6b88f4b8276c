using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Providers;

namespace Spillway.Core.Tests.Codecs.OpenAI;

public class OpenAIRequestRewriterTests
{
    private const string Messages = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private const string RichBody = """
        {
          "model" : "client-alias",
          "models": ["a", "b"],
          "messages": [
            {"role": "user", "content": [
              {"type": "text", "text": "caf\u00e9 \"quoted\" \n line"},
              {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo=", "detail": "high"}}
            ]},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "c1", "type": "function",
              "function": {"name": "f", "arguments": "{\"a\": 1}"}}]},
            {"role": "tool", "tool_call_id": "c1", "content": "42"}
          ],
          "tools": [{"type": "function", "function": {"name": "f", "parameters": {"type": "object",
            "properties": {"a": {"type": "integer", "maximum": 9007199254740993}}}}}],
          "temperature": 1.0e0,
          "seed": 42,
          "x_vendor": {"nested": [1, 2, {"deep": [true, false, null]}], "empty": {}},
          "stream": true
        }
        """;

    private static (string Text, JsonElement Root) Rewrite(
        string json, string model = "upstream-model", ParameterQuirks? quirks = null, bool forceIncludeUsage = false)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var sniff = OpenAIRequestSniffer.Sniff(body);
        Assert.True(sniff.IsValid, sniff.Failure?.Message);
        var output = new ArrayBufferWriter<byte>();

        OpenAIRequestRewriter.Rewrite(body, sniff, model, output, quirks, forceIncludeUsage);

        var text = Encoding.UTF8.GetString(output.WrittenSpan);
        using var document = JsonDocument.Parse(output.WrittenMemory);
        return (text, document.RootElement.Clone());
    }

    private static List<string> Names(JsonElement root) => root.EnumerateObject().Select(p => p.Name).ToList();

    [Fact]
    public void Rewrite_RichBody_OtherPropertiesByteIdentical()
    {
        var body = Encoding.UTF8.GetBytes(RichBody);
        var sniff = OpenAIRequestSniffer.Sniff(body);

        var (text, root) = Rewrite(RichBody);

        Assert.Equal("upstream-model", root.GetProperty("model").GetString());
        Assert.False(root.TryGetProperty("models", out _));
        Assert.Equal(["model", "messages", "tools", "temperature", "seed", "x_vendor", "stream"], Names(root));
        foreach (var property in sniff.Properties.Where(p => p.GetName(body) is not ("model" or "models")))
        {
            // Every other property appears in the output exactly as the client wrote it.
            Assert.Contains(Encoding.UTF8.GetString(body[property.Range]), text, StringComparison.Ordinal);
        }

        using var original = JsonDocument.Parse(RichBody);
        Assert.Equal(
            original.RootElement.GetProperty("tools").GetRawText(), root.GetProperty("tools").GetRawText());
        Assert.Equal("1.0e0", root.GetProperty("temperature").GetRawText());
    }

    [Fact]
    public void Rewrite_NoEdits_OnlyModelAndSeparatorsChange()
    {
        var (text, _) = Rewrite("{ \"model\":\"a\" , \"n\" : 2,\n " + Messages + " }", "b");

        Assert.Equal("{\"model\":\"b\",\"n\" : 2," + Messages + "}", text);
    }

    [Fact]
    public void Rewrite_ModelsOnly_ModelAddedFirst()
    {
        var (text, _) = Rewrite("{\"models\":[\"x\",\"y\"]," + Messages + ",\"stream\":false}", "y");

        Assert.Equal("{\"model\":\"y\"," + Messages + ",\"stream\":false}", text);
    }

    [Fact]
    public void Rewrite_EscapedModelKey_ModelWritten()
    {
        var (_, root) = Rewrite("{\"mod\\u0065l\":\"a\"," + Messages + "}", "c");

        Assert.Equal(["model", "messages"], Names(root));
        Assert.Equal("c", root.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData("meta-llama/llama-3.3-70b-instruct:free")]
    [InlineData("we\"ird\\model\n")]
    [InlineData("modèle-ünïcode")]
    public void Rewrite_ModelNeedingEscapes_WrittenAsValidJsonString(string model)
    {
        var (_, root) = Rewrite("{\"model\":\"a\"," + Messages + "}", model);

        Assert.Equal(model, root.GetProperty("model").GetString());
    }

    [Fact]
    public void Rewrite_ForceUsageWithoutStreamOptions_AddsIncludeUsage()
    {
        var (text, _) = Rewrite("{\"model\":\"a\"," + Messages + ",\"stream\":true}", "a", forceIncludeUsage: true);

        Assert.Equal("{\"model\":\"a\"," + Messages + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}", text);
    }

    [Theory]
    [InlineData("{\"include_obfuscation\":false}", "{\"include_obfuscation\":false,\"include_usage\":true}")]
    [InlineData("{\"include_usage\":false, \"include_obfuscation\" : true}", "{\"include_obfuscation\" : true,\"include_usage\":true}")]
    [InlineData("{\"x\":{\"y\":[1]},\"include_usage\":null}", "{\"x\":{\"y\":[1]},\"include_usage\":true}")]
    [InlineData("{ \"include_usage\" : true }", "{ \"include_usage\" : true }")]
    [InlineData("null", "{\"include_usage\":true}")]
    [InlineData("{}", "{\"include_usage\":true}")]
    public void Rewrite_ForceUsageWithStreamOptions_KeepsClientOptions(string options, string expected)
    {
        var (text, root) = Rewrite(
            "{\"model\":\"a\",\"stream_options\":" + options + ",\"stream\":true," + Messages + "}", "a",
            forceIncludeUsage: true);

        Assert.Contains(",\"stream_options\":" + expected + ",", text, StringComparison.Ordinal);
        Assert.True(root.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Rewrite_ForceUsageNotApplicable_StreamOptionsUntouched(bool stream, bool forceIncludeUsage)
    {
        var json = "{\"model\":\"a\",\"stream\":" + (stream ? "true" : "false")
            + ",\"stream_options\":{\"include_usage\":false}," + Messages + "}";

        var (text, _) = Rewrite(json, "a", forceIncludeUsage: forceIncludeUsage);

        Assert.Equal(json, text);
    }

    [Fact]
    public void Rewrite_DropQuirk_RemovesFieldsEvenWhenEscaped()
    {
        var quirks = new ParameterQuirks { Drop = ["logprobs", "logit_bias", "top_logprobs"] };

        var (_, root) = Rewrite(
            "{\"model\":\"a\",\"logprobs\":true,\"logit_bi\\u0061s\":{\"50256\":-100}," + Messages + ",\"n\":1}",
            "a", quirks);

        Assert.Equal(["model", "messages", "n"], Names(root));
    }

    [Fact]
    public void Rewrite_RenameQuirk_KeepsValueBytes()
    {
        var quirks = new ParameterQuirks
        {
            Rename = ImmutableDictionary<string, string>.Empty
                .Add("seed", "random_seed")
                .Add("max_completion_tokens", "max_tokens"),
        };

        var (text, _) = Rewrite(
            "{\"model\":\"a\",\"seed\": 4.20e1," + Messages + ",\"max_completion_tokens\":64}", "a", quirks);

        Assert.Equal("{\"model\":\"a\",\"random_seed\":4.20e1," + Messages + ",\"max_tokens\":64}", text);
    }

    [Fact]
    public void Rewrite_RenameTargetAlsoSent_RenamedValueWinsOnce()
    {
        var quirks = new ParameterQuirks
        {
            Rename = ImmutableDictionary<string, string>.Empty.Add("max_completion_tokens", "max_tokens"),
        };

        var (text, root) = Rewrite(
            "{\"model\":\"a\",\"max_tokens\":10," + Messages + ",\"max_completion_tokens\":64}", "a", quirks);

        Assert.Single(root.EnumerateObject(), p => p.Name == "max_tokens");
        Assert.Equal(64, root.GetProperty("max_tokens").GetInt32());
        Assert.DoesNotContain("max_completion_tokens", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_HostRejectsStreamOptions_RemovedEvenWhenUsageForced()
    {
        var quirks = new ParameterQuirks { AcceptsStreamOptions = false };

        var (_, root) = Rewrite(
            "{\"model\":\"a\",\"stream\":true,\"stream_options\":{\"include_usage\":true}," + Messages + "}",
            "a", quirks, forceIncludeUsage: true);

        Assert.Equal(["model", "stream", "messages"], Names(root));
    }

    [Fact]
    public void Rewrite_StreamOptionsDroppedByQuirk_NotAddedBack()
    {
        var quirks = new ParameterQuirks { Drop = ["stream_options"] };

        var (_, root) = Rewrite("{\"model\":\"a\",\"stream\":true," + Messages + "}", "a", quirks, forceIncludeUsage: true);

        Assert.Equal(["model", "stream", "messages"], Names(root));
    }

    [Fact]
    public void Rewrite_InvalidSniff_Throws()
    {
        var body = "{\"model\":1}"u8.ToArray();
        var sniff = OpenAIRequestSniffer.Sniff(body);

        Assert.Throws<ArgumentException>(
            () => OpenAIRequestRewriter.Rewrite(body, sniff, "m", new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Rewrite_SniffOfOtherBytes_Throws()
    {
        var sniff = OpenAIRequestSniffer.Sniff(Encoding.UTF8.GetBytes("{\"model\":\"a\"," + Messages + "}"));
        var other = Encoding.UTF8.GetBytes("{\"model\":\"ab\"," + Messages + "}");

        Assert.Throws<ArgumentException>(
            () => OpenAIRequestRewriter.Rewrite(other, sniff, "m", new ArrayBufferWriter<byte>()));
    }
}
