using System.Text.Json.Nodes;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Gemini;

namespace Spillway.Core.Tests.Codecs.Gemini;

public class GeminiRequestRoundTripTests
{
    [Fact]
    public void Decode_FunctionCallingRecording_ToolsAndMessages()
    {
        var request = GeminiRequestDecoder.Decode(
            GeminiRecordings.RequestBody(GeminiRecordings.FunctionCalling, 1), "gemini-2.0-flash", stream: false).Value;

        var tool = Assert.Single(request.Tools);
        Assert.Equal(("customDivide", "Custom divide function"), (tool.Name, tool.Description));
        GeminiRecordings.AssertJsonEqual(
            """{"properties":{"denominator":{"type":"number"},"numerator":{"type":"number"}},"type":"object"}""",
            tool.InputSchema.Utf8.ToArray());
        Assert.Equal(3, request.Messages.Count);
        Assert.Equal(new ChatMessage(ChatRole.User, [new TextPart("what is the result of 100/2")]).Content, request.Messages[0].Content);
        Assert.Equal(ChatRole.Assistant, request.Messages[1].Role);
        var call = Assert.IsType<ToolCallPart>(Assert.Single(request.Messages[1].Content));
        Assert.Equal(("customDivide", """{"denominator":2,"numerator":100}"""), (call.Name, call.ArgumentsJson));
        Assert.Equal(ChatRole.User, request.Messages[2].Role);
        Assert.Equal(new TextPart("what is the result of 50/2?"), Assert.Single(request.Messages[2].Content));
        Assert.Equal("gemini-2.0-flash", request.Model);
        Assert.Empty(request.Extensions.Items);
    }

    [Theory]
    [InlineData(GeminiRecordings.FunctionCalling, 0)]
    [InlineData(GeminiRecordings.FunctionCalling, 1)]
    [InlineData(GeminiRecordings.WithConfig, 0)]
    [InlineData(GeminiRecordings.Stream, 0)]
    public void Encode_DecodedRecordedRequest_EquivalentGeminiRequest(string recording, int interaction)
    {
        var recorded = GeminiRecordings.RequestBody(recording, interaction);
        var request = GeminiRequestDecoder.Decode(recorded, "gemini-2.0-flash", stream: false).Value;

        var encoded = GeminiRequestEncoder.Encode(request).Value;

        GeminiRecordings.AssertJsonEqual(GeminiRecordings.Parse(recorded), GeminiRecordings.Parse(encoded.Body));
        Assert.Empty(encoded.DroppedHints);
    }

    [Fact]
    public void Encode_DecodedSystemInstructionRecording_EquivalentButForTheOptionalRole()
    {
        var recorded = GeminiRecordings.Parse(GeminiRecordings.RequestBody(GeminiRecordings.SystemInstruction));
        var request = GeminiRequestDecoder.Decode(
            GeminiRecordings.RequestBody(GeminiRecordings.SystemInstruction), "gemini-2.5-flash", stream: false).Value;

        var encoded = GeminiRecordings.Parse(GeminiRequestEncoder.Encode(request).Value.Body);

        Assert.Equal(new TextPart("I say high you say low"), Assert.Single(request.System));

        // systemInstruction.role is optional and means nothing; the encoder does not write it.
        recorded["systemInstruction"]!.AsObject().Remove("role");
        GeminiRecordings.AssertJsonEqual(recorded, encoded);
    }

    [Fact]
    public void Decode_WithConfigRecording_MaxOutputTokensAndTemperature()
    {
        var request = GeminiRequestDecoder.Decode(
            GeminiRecordings.RequestBody(GeminiRecordings.WithConfig), "gemini-2.0-flash", stream: false).Value;

        Assert.Equal(20, request.MaxOutputTokens);
        Assert.Equal(0.5, request.Temperature);
    }

    [Theory]
    [InlineData(GeminiRecordings.FunctionCalling, "models/gemini-2.0-flash:generateContent")]
    [InlineData(GeminiRecordings.Stream, "models/gemini-2.0-flash:streamGenerateContent?alt=sse")]
    [InlineData(GeminiRecordings.CountTokens, "models/gemini-2.5-flash:countTokens")]
    public void Paths_MatchRecordedUrls(string recording, string expected)
    {
        var model = recording == GeminiRecordings.CountTokens ? "gemini-2.5-flash" : "gemini-2.0-flash";
        var path = recording switch
        {
            GeminiRecordings.Stream => GeminiPaths.StreamGenerateContent(model),
            GeminiRecordings.CountTokens => GeminiPaths.CountTokens(model),
            _ => GeminiPaths.GenerateContent(model),
        };

        Assert.Equal(expected, path);
        Assert.Equal("/v1beta/" + expected, GeminiRecordings.RequestUrl(recording));
    }

    [Fact]
    public void Paths_ModelIdCannotChangeThePath()
    {
        Assert.Equal("models/a%2F..%2Fb:generateContent", GeminiPaths.GenerateContent("a/../b"));
        Assert.Equal("tunedModels/my-model:generateContent", GeminiPaths.GenerateContent("tunedModels/my-model"));
        Assert.Equal("models/gemini-2.5-flash:streamGenerateContent?alt=sse",
            GeminiPaths.For(new ChatRequest { Model = "gemini-2.5-flash", Messages = [], Stream = true }));
    }

    [Fact]
    public void CountTokens_RecordingRequestAndResponse()
    {
        var recorded = GeminiRecordings.RequestBody(GeminiRecordings.CountTokens);
        var request = new ChatRequest
        {
            Model = "gemini-2.5-flash",
            Messages = [new ChatMessage(ChatRole.User, [new TextPart("The quick brown fox jumps over the lazy dog.")])],
        };

        var body = GeminiCountTokens.EncodeRequest(request).Value.Body;
        var count = GeminiCountTokens.DecodeResponse(GeminiRecordings.ResponseBody(GeminiRecordings.CountTokens)).Value;

        GeminiRecordings.AssertJsonEqual(GeminiRecordings.Parse(recorded), GeminiRecordings.Parse(body));
        Assert.Equal(new GeminiTokenCount(11), count);
    }

    [Fact]
    public void CountTokens_WithSystemPrompt_WholeGenerateContentRequest()
    {
        var request = new ChatRequest
        {
            Model = "gemini-2.5-flash",
            System = [new TextPart("Be brief.")],
            Messages = [new ChatMessage(ChatRole.User, [new TextPart("Hi")])],
        };

        var body = GeminiCountTokens.EncodeRequest(request).Value.Body;

        GeminiRecordings.AssertJsonEqual("""
            {"generateContentRequest":{"model":"models/gemini-2.5-flash",
              "contents":[{"role":"user","parts":[{"text":"Hi"}]}],
              "systemInstruction":{"parts":[{"text":"Be brief."}]},"generationConfig":{}}}
            """, body);
        Assert.False(GeminiCountTokens.DecodeResponse("""{"promptTokensDetails":[]}"""u8).IsSuccess);
    }

    [Fact]
    public void Decode_GeminiOnlyFields_KeptAndWrittenBack()
    {
        var body = """
            {"contents":[{"role":"user","parts":[{"text":"Hi"}]}],
             "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}],
             "cachedContent":"cachedContents/abc",
             "tools":[{"functionDeclarations":[{"name":"f","parameters":{"type":"OBJECT","properties":{"x":{"type":"STRING","nullable":true}}}}]},{"googleSearch":{}}],
             "toolConfig":{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["f","g"]}},
             "generationConfig":{"presencePenalty":0.5,"candidateCount":1,"responseMimeType":"application/json",
               "thinkingConfig":{"thinkingBudget":1024,"includeThoughts":false}}}
            """u8.ToArray();

        var request = GeminiRequestDecoder.Decode(body, "gemini-2.5-flash", stream: true).Value;
        var encoded = GeminiRequestEncoder.Encode(request).Value;

        Assert.Equal(new ChatThinking(ThinkingMode.Enabled, 1024), request.Thinking);
        Assert.Equal(ResponseFormatType.JsonObject, request.ResponseFormat!.Type);
        Assert.Equal(ToolChoiceMode.Required, request.ToolChoice!.Mode);
        Assert.True(request.Stream);
        Assert.Equal(["cachedContent", "toolConfig", "tools"],
            request.Extensions.Items.Where(x => x.MustHonor).Select(x => x.Name).Order(StringComparer.Ordinal));
        GeminiRecordings.AssertJsonEqual("""{"type":"object","properties":{"x":{"type":["string","null"]}}}""",
            request.Tools[0].InputSchema.Utf8.ToArray());

        // candidateCount 1 is Gemini's default and is not written back; everything else is (declarations come
        // first in "tools", so the input lists them first).
        var expected = GeminiRecordings.Parse(body);
        expected["generationConfig"]!.AsObject().Remove("candidateCount");
        GeminiRecordings.AssertJsonEqual(expected, GeminiRecordings.Parse(encoded.Body));
    }

    [Fact]
    public void Decode_FunctionResponsesWithoutIds_MatchedToCallsByName()
    {
        var body = """
            {"contents":[
              {"role":"user","parts":[{"text":"Weather in Paris and Rome?"}]},
              {"role":"model","parts":[{"functionCall":{"name":"weather","args":{"city":"Paris"}}},{"functionCall":{"name":"weather","args":{"city":"Rome"}}}]},
              {"role":"user","parts":[{"functionResponse":{"name":"weather","response":{"result":"sunny"}}},{"functionResponse":{"name":"weather","response":{"error":"no data"}}},{"text":"Thanks"}]}]}
            """u8.ToArray();

        var request = GeminiRequestDecoder.Decode(body, "m", stream: false).Value;

        var calls = request.Messages[1].Content.Cast<ToolCallPart>().ToList();
        Assert.Equal(["call_1_0", "call_1_1"], calls.Select(c => c.Id));
        Assert.Equal(ChatRole.Tool, request.Messages[2].Role);
        Assert.Equal(new ToolResultPart("call_1_0", [new TextPart("sunny")]).ToolCallId,
            ((ToolResultPart)request.Messages[2].Content[0]).ToolCallId);
        var failed = (ToolResultPart)request.Messages[2].Content[1];
        Assert.Equal(("call_1_1", true, "no data"), (failed.ToolCallId, failed.IsError, ((TextPart)failed.Content[0]).Text));
        Assert.Equal(new ChatMessage(ChatRole.User, [new TextPart("Thanks")]).Content, request.Messages[3].Content);

        // And back: the same turns, ids left out as Gemini sent none.
        GeminiRecordings.AssertJsonEqual(
            JsonNode.Parse(body)!["contents"]!,
            GeminiRecordings.Parse(GeminiRequestEncoder.Encode(request).Value.Body)["contents"]!);
    }

    [Fact]
    public void Decode_FunctionResponseForNoCall_Refused()
    {
        var result = GeminiRequestDecoder.Decode(
            """{"contents":[{"role":"user","parts":[{"functionResponse":{"name":"ghost","response":{}}}]}]}"""u8, "m", false);

        Assert.Equal("contents[0].parts[0]", result.Error!.Param);
    }

    [Fact]
    public void Decode_NotJson_InvalidRequest()
    {
        Assert.Equal(ChatErrorKind.InvalidRequest, GeminiRequestDecoder.Decode("{\"contents\":["u8, "m", false).Error!.Kind);
        Assert.Equal(ChatErrorKind.InvalidRequest, GeminiRequestDecoder.Decode("[]"u8, "m", false).Error!.Kind);
    }

    [Fact]
    public void Decode_Int32FieldsBeyondRange_ClampedNotWrapped()
    {
        var request = GeminiRequestDecoder.Decode(
            """{"contents":[],"generationConfig":{"maxOutputTokens":99999999999,"topK":40.0}}"""u8, "m", false).Value;

        Assert.Equal((int.MaxValue, 40), (request.MaxOutputTokens, request.TopK));
    }

    [Fact]
    public void Decode_ResponseJsonSchemaWithGeminiTypeNames_JsonSchemaWithLowerCaseTypes()
    {
        // Gemini CLI's model router asks for JSON with Gemini's upper-case type names in responseJsonSchema; the
        // canonical schema any upstream gets is JSON Schema. A list of types and nullable are left as they came.
        var request = GeminiRequestDecoder.Decode(
            """
            {"contents":[{"role":"user","parts":[{"text":"Rate it"}]}],
             "generationConfig":{"responseMimeType":"application/json","responseJsonSchema":{"type":"OBJECT",
               "properties":{"reason":{"type":"STRING","description":"Why."},"score":{"type":"INTEGER"},
                 "tags":{"type":"ARRAY","items":{"type":"STRING"}},"note":{"type":["string","null"],"nullable":true}},
               "required":["reason","score"]}}}
            """u8, "m", false).Value;

        Assert.Equal(ResponseFormatType.JsonSchema, request.ResponseFormat!.Type);
        GeminiRecordings.AssertJsonEqual(
            """
            {"type":"object","properties":{"reason":{"type":"string","description":"Why."},"score":{"type":"integer"},
              "tags":{"type":"array","items":{"type":"string"}},"note":{"type":["string","null"],"nullable":true}},
             "required":["reason","score"]}
            """,
            request.ResponseFormat.Schema.Utf8.ToArray());
    }

    [Fact]
    public void Decode_ToolParametersJsonSchemaWithGeminiTypeNames_JsonSchemaWithLowerCaseTypes()
    {
        // An MCP server's tool declared to Gemini CLI may carry Gemini's upper-case type names.
        var request = GeminiRequestDecoder.Decode(
            """
            {"contents":[{"role":"user","parts":[{"text":"Weather?"}]}],
             "tools":[{"functionDeclarations":[{"name":"get_weather","parametersJsonSchema":{"type":"OBJECT",
               "properties":{"city":{"type":"STRING"}},"required":["city"]}}]}]}
            """u8, "m", false).Value;

        GeminiRecordings.AssertJsonEqual(
            """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""",
            request.Tools[0].InputSchema.Utf8.ToArray());
    }
}
