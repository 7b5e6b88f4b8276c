using System.Text;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Gemini;

namespace Spillway.Core.Tests.Codecs.Gemini;

public class GeminiRequestEncoderTests
{
    private static ChatRequest Request(params ChatMessage[] messages) => new() { Model = "gemini-2.5-flash", Messages = messages };

    private static ChatMessage User(params ChatContentPart[] parts) => new(ChatRole.User, parts);

    private static ChatMessage Assistant(params ChatContentPart[] parts) => new(ChatRole.Assistant, parts);

    private static ChatMessage Tool(params ChatContentPart[] parts) => new(ChatRole.Tool, parts);

    private static EncodedPayload Encode(ChatRequest request, GeminiEncoderOptions? options = null) =>
        GeminiRequestEncoder.Encode(request, options).Value;

    private static ChatError Refusal(ChatRequest request, GeminiEncoderOptions? options = null)
    {
        var result = GeminiRequestEncoder.Encode(request, options);
        Assert.False(result.IsSuccess);
        Assert.Equal(400, result.Error!.Status);
        return result.Error;
    }

    [Fact]
    public void Encode_SettingsAndSystem_GenerationConfigAndSystemInstruction()
    {
        var request = Request(User(new TextPart("Hi"))) with
        {
            System = [new TextPart("Be brief.")],
            StopSequences = ["END"],
            MaxOutputTokens = 256,
            Temperature = 0.7,
            TopP = 0.9,
            TopK = 40,
            Seed = 42,
        };

        GeminiRecordings.AssertJsonEqual("""
            {"contents":[{"role":"user","parts":[{"text":"Hi"}]}],
             "systemInstruction":{"parts":[{"text":"Be brief."}]},
             "generationConfig":{"stopSequences":["END"],"maxOutputTokens":256,"temperature":0.7,"topP":0.9,"topK":40,"seed":42}}
            """, Encode(request).Body);
    }

    [Fact]
    public void Encode_ToolLoop_ResultNamedFromItsCallAndShapedAsObject()
    {
        var request = Request(
            User(new TextPart("Weather?")),
            Assistant(
                new ToolCallPart("call_abcDEF", "get_weather", """{"city":"Paris"}"""),
                new ToolCallPart("call_ghiJKL", "get_time", "")),
            Tool(
                new ToolResultPart("call_abcDEF", [new TextPart("sunny")]),
                new ToolResultPart("call_ghiJKL", [new TextPart("""{"time":"12:00"}""")])),
            Tool(new ToolResultPart("call_abcDEF", [new TextPart("boom")], IsError: true)),
            User(new TextPart("Thanks")));

        GeminiRecordings.AssertJsonEqual("""
            {"contents":[
              {"role":"user","parts":[{"text":"Weather?"}]},
              {"role":"model","parts":[
                {"functionCall":{"name":"get_weather","args":{"city":"Paris"},"id":"call_abcDEF"}},
                {"functionCall":{"name":"get_time","args":{},"id":"call_ghiJKL"}}]},
              {"role":"user","parts":[
                {"functionResponse":{"name":"get_weather","id":"call_abcDEF","response":{"result":"sunny"}}},
                {"functionResponse":{"name":"get_time","id":"call_ghiJKL","response":{"time":"12:00"}}},
                {"functionResponse":{"name":"get_weather","id":"call_abcDEF","response":{"error":"boom"}}},
                {"text":"Thanks"}]}],
             "generationConfig":{}}
            """, Encode(request).Body);
    }

    [Fact]
    public void Encode_ToolResultForUnknownCall_RefusedWithItsPlace()
    {
        var error = Refusal(Request(User(new TextPart("Hi")), Tool(new ToolResultPart("call_nope", [new TextPart("x")]))));

        Assert.Equal("messages[1].content[0]", error.Param);
        Assert.Contains("call_nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_ToolResultWithImage_ImageFollowsTheFunctionResponses()
    {
        var request = Request(
            Assistant(new ToolCallPart("toolu_1", "screenshot", "{}")),
            Tool(new ToolResultPart("toolu_1", [new TextPart("done"), new ImagePart(new ImageDataSource("image/png", "iVBORw0KGgo="))])));

        GeminiRecordings.AssertJsonEqual("""
            {"contents":[
              {"role":"model","parts":[{"functionCall":{"name":"screenshot","args":{},"id":"toolu_1"}}]},
              {"role":"user","parts":[
                {"functionResponse":{"name":"screenshot","id":"toolu_1","response":{"result":"done"}}},
                {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]}],
             "generationConfig":{}}
            """, Encode(request).Body);
    }

    [Fact]
    public void Encode_ThoughtSignatures_EchoedOnThePartsTheyCameWith()
    {
        // A Gemini answer with a signed thought and a signed call, sent back in the next turn.
        var answer = GeminiResponseDecoder.Decode("""
            {"candidates":[{"content":{"role":"model","parts":[
              {"text":"Need the weather.","thought":true,"thoughtSignature":"VEhPVUdIVA=="},
              {"functionCall":{"name":"get_weather","args":{"city":"Oslo"}},"thoughtSignature":"Q0FMTA=="}]},
              "finishReason":"STOP"}],"responseId":"resp7"}
            """u8).Value;
        var callId = ((ToolCallPart)answer.Content[1]).Id;
        var request = Request(
            User(new TextPart("Weather in Oslo?")),
            Assistant([.. answer.Content]),
            Tool(new ToolResultPart(callId, [new TextPart("cold")])));

        GeminiRecordings.AssertJsonEqual("""
            {"contents":[
              {"role":"user","parts":[{"text":"Weather in Oslo?"}]},
              {"role":"model","parts":[
                {"text":"Need the weather.","thought":true,"thoughtSignature":"VEhPVUdIVA=="},
                {"functionCall":{"name":"get_weather","args":{"city":"Oslo"}},"thoughtSignature":"Q0FMTA=="}]},
              {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"result":"cold"}}}]}],
             "generationConfig":{}}
            """, Encode(request).Body);
    }

    [Fact]
    public void Encode_Images_InlineFilesApiAndRefusedUrl()
    {
        var inline = new ImagePart(new ImageDataSource("image/jpeg", "/9j/4AAQ"));
        var dataUri = new ImagePart(new ImageUrlSource("data:image/png;base64,iVBORw0KGgo="));
        var file = new ImagePart(new ImageUrlSource("https://generativelanguage.googleapis.com/v1beta/files/abc123"));

        GeminiRecordings.AssertJsonEqual("""
            {"contents":[{"role":"user","parts":[
              {"inlineData":{"mimeType":"image/jpeg","data":"/9j/4AAQ"}},
              {"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}},
              {"fileData":{"fileUri":"https://generativelanguage.googleapis.com/v1beta/files/abc123"}}]}],
             "generationConfig":{}}
            """, Encode(Request(User(inline, dataUri, file))).Body);

        var web = Request(User(new TextPart("What is this?"), new ImagePart(new ImageUrlSource("https://example.com/cat.png"))));
        var error = Refusal(web);
        Assert.Equal("messages[0].content[1]", error.Param);
        Assert.Contains("https://example.com/cat.png", error.Message, StringComparison.Ordinal);

        // A model that fetches public URLs itself (Gemini 3) takes it as fileData, its type guessed from the path.
        GeminiRecordings.AssertJsonEqual("""
            {"contents":[{"role":"user","parts":[{"text":"What is this?"},
              {"fileData":{"mimeType":"image/png","fileUri":"https://example.com/cat.png"}}]}],"generationConfig":{}}
            """, Encode(web, new GeminiEncoderOptions { ExternalImageUrls = true }).Body);
    }

    [Fact]
    public void Encode_ContentGeminiCannotCarry_Refused()
    {
        var document = new OpaquePart(WireFormat.Anthropic, "document", RawJson.FromString("""{"type":"document"}"""));
        Assert.Contains("'document'", Refusal(Request(User(document))).Message, StringComparison.Ordinal);

        var badArgs = Request(Assistant(new ToolCallPart("c1", "f", "[1,2]")));
        Assert.Equal("messages[0].content[0]", Refusal(badArgs).Param);

        var mustHonor = Request(User(new TextPart("Hi"))) with
        {
            Extensions = ChatExtensions.Of([new ChatExtension(WireFormat.OpenAI, "n", RawJson.FromString("3"), MustHonor: true)]),
        };
        Assert.Contains("'n'", Refusal(mustHonor).Message, StringComparison.Ordinal);

        Assert.Equal("seed", Refusal(Request(User(new TextPart("Hi"))) with { Seed = 1L << 40 }).Param);
    }

    [Fact]
    public void Encode_WhatDoesNotChangeTheAnswer_DroppedAndReported()
    {
        var cacheControl = new ChatExtension(WireFormat.Anthropic, "cache_control", RawJson.FromString("""{"type":"ephemeral"}"""));
        var request = Request(
            User(new TextPart("Hi") { Extensions = ChatExtensions.Of([cacheControl]) }),
            Assistant(new RedactedThinkingPart("opaque"), new TextPart("Hello")),
            Assistant(new RedactedThinkingPart("only this")),
            User(new TextPart("More"))) with
        {
            ParallelToolCalls = false,
            UserId = "u-1",
            Extensions = ChatExtensions.Of([new ChatExtension(WireFormat.OpenAI, "service_tier", RawJson.FromString("\"flex\""))]),
        };

        var encoded = Encode(request);

        Assert.Equal(["service_tier", "parallel_tool_calls", "user", "cache_control", "redacted_thinking"], encoded.DroppedHints);
        GeminiRecordings.AssertJsonEqual("""
            {"contents":[{"role":"user","parts":[{"text":"Hi"}]},{"role":"model","parts":[{"text":"Hello"}]},
              {"role":"user","parts":[{"text":"More"}]}],"generationConfig":{}}
            """, encoded.Body);
    }

    [Theory]
    [InlineData(ToolChoiceMode.Auto, null, """{"functionCallingConfig":{"mode":"AUTO"}}""")]
    [InlineData(ToolChoiceMode.None, null, """{"functionCallingConfig":{"mode":"NONE"}}""")]
    [InlineData(ToolChoiceMode.Required, null, """{"functionCallingConfig":{"mode":"ANY"}}""")]
    [InlineData(ToolChoiceMode.Named, "f", """{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["f"]}}""")]
    public void Encode_ToolChoice_FunctionCallingConfig(ToolChoiceMode mode, string? name, string expected)
    {
        var request = Request(User(new TextPart("Hi"))) with
        {
            Tools = [new ChatTool("f", "Does f.", RawJson.FromString("""{"type":"object","properties":{"a":{"type":"string"}}}"""))],
            ToolChoice = new ChatToolChoice(mode, name),
        };

        var body = GeminiRecordings.Parse(Encode(request).Body);

        GeminiRecordings.AssertJsonEqual(GeminiRecordings.Parse(expected), body["toolConfig"]!);
        GeminiRecordings.AssertJsonEqual(
            GeminiRecordings.Parse("""[{"functionDeclarations":[{"name":"f","description":"Does f.","parameters":{"type":"OBJECT","properties":{"a":{"type":"STRING"}}}}]}]"""),
            body["tools"]!);
    }

    [Fact]
    public void Encode_ToolWithoutArguments_DeclaredWithoutParameters()
    {
        var request = Request(User(new TextPart("Hi"))) with
        {
            Tools = [new ChatTool("now", null, RawJson.FromString("""{"type":"object","properties":{},"additionalProperties":false}"""))],
        };

        GeminiRecordings.AssertJsonEqual(
            GeminiRecordings.Parse("""[{"functionDeclarations":[{"name":"now"}]}]"""),
            GeminiRecordings.Parse(Encode(request).Body)["tools"]!);
    }

    [Theory]
    [InlineData(ThinkingMode.Enabled, 1024, """{"thinkingBudget":1024,"includeThoughts":true}""")]
    [InlineData(ThinkingMode.Adaptive, null, """{"thinkingBudget":-1,"includeThoughts":true}""")]
    [InlineData(ThinkingMode.Disabled, null, """{"thinkingBudget":0}""")]
    public void Encode_Thinking_ThinkingConfig(ThinkingMode mode, int? budget, string expected)
    {
        var request = Request(User(new TextPart("Hi"))) with { Thinking = new ChatThinking(mode, budget) };

        var config = GeminiRecordings.Parse(Encode(request).Body)["generationConfig"]!["thinkingConfig"]!;

        GeminiRecordings.AssertJsonEqual(GeminiRecordings.Parse(expected), config);
    }

    [Fact]
    public void Encode_JsonModes_ResponseMimeTypeAndReducedSchema()
    {
        var jsonObject = Request(User(new TextPart("Hi"))) with { ResponseFormat = new ChatResponseFormat(ResponseFormatType.JsonObject) };
        var jsonSchema = Request(User(new TextPart("Hi"))) with
        {
            ResponseFormat = new ChatResponseFormat(ResponseFormatType.JsonSchema)
            {
                Name = "answer",
                Strict = true,
                Schema = RawJson.FromString("""{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"],"additionalProperties":false}"""),
            },
        };

        GeminiRecordings.AssertJsonEqual(GeminiRecordings.Parse("""{"responseMimeType":"application/json"}"""),
            GeminiRecordings.Parse(Encode(jsonObject).Body)["generationConfig"]!);
        var encoded = Encode(jsonSchema);
        GeminiRecordings.AssertJsonEqual(
            GeminiRecordings.Parse("""{"responseMimeType":"application/json","responseSchema":{"type":"OBJECT","properties":{"n":{"type":"INTEGER"}},"required":["n"]}}"""),
            GeminiRecordings.Parse(encoded.Body)["generationConfig"]!);
        Assert.Equal(["schema.additionalProperties"], encoded.DroppedHints);
    }

    [Fact]
    public void Encode_Body_IsCompactUtf8WithReadableText()
    {
        var body = Encoding.UTF8.GetString(Encode(Request(User(new TextPart("Grüße <b>\"x\"</b>")))).Body);

        Assert.Equal("""{"contents":[{"role":"user","parts":[{"text":"Grüße <b>\"x\"</b>"}]}],"generationConfig":{}}""", body);
    }
}
