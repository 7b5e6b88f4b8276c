using System.Text.Json;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>
/// The bad-input corpus: every request here is sent over a bare socket to a live gateway, and each must get its
/// status and an error in the caller's format (never a 500, a stack trace or a hung connection). The answers
/// observed are listed in <c>BadInputCorpus.md</c> beside this file.
/// </summary>
internal static class BadInputCorpus
{
    public const string Chat = "/v1/chat/completions";
    public const string Messages = "/v1/messages";
    public const string CountTokens = "/v1/messages/count_tokens";
    public const string Responses = "/v1/responses";
    public const string GeminiGenerate = "/v1beta/models/chain:generateContent";
    public const string Embeddings = "/v1/embeddings";

    /// <summary>The corpus gateway's embeddings alias: Gemini-native <c>gemini-embedding-001</c> only.</summary>
    public const string EmbedAlias = "embed";
    public const string AdminToken = "admin-token-for-the-bad-input-corpus";

    /// <summary>The body limit the corpus gateway runs with (413 beyond).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public const string GoodChat = """{"model":"chain","messages":[{"role":"user","content":"hi"}]}""";
    public const string GoodMessages = """{"model":"chain","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""";

    private const string Invalid = "invalid_request_error";

    private static readonly string[] Json = ["Content-Type: application/json"];
    private static readonly string[] AnthropicJson = ["Content-Type: application/json", "anthropic-version: 2023-06-01"];

    private static readonly Lazy<IReadOnlyDictionary<string, BadInputCase>> All = new(() => Build().ToDictionary(c => c.Name));

    public static IReadOnlyDictionary<string, BadInputCase> Cases => All.Value;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    private static IEnumerable<BadInputCase> Build() =>
    [
        .. BodyShape(),
        .. WrongTypes(),
        .. MissingFields(),
        .. Models(),
        .. Sizes(),
        .. Nesting(),
        .. Unicode(),
        .. ContentTypes(),
        .. Headers(),
        .. ModelInjection(),
        .. Translation(),
        .. MethodsAndPaths(),
        .. Admin(),
        .. ResponsesDoor(),
        .. GeminiDoor(),
        .. EmbeddingsDoor(),
    ];

    private static IEnumerable<BadInputCase> EmbeddingsDoor() =>
    [
        EmbeddingsCase("embeddings: body is not JSON", "{\"model\":\"embed\",\"input\":", 400),
        EmbeddingsCase("embeddings: top-level array", "[\"hi\"]", 400),
        EmbeddingsCase("embeddings: no model", "{\"input\":\"hi\"}", 400),
        EmbeddingsCase("embeddings: model is a number", "{\"model\":5,\"input\":\"hi\"}", 400),
        EmbeddingsCase("embeddings: model given twice", "{\"model\":\"embed\",\"model\":\"chain\",\"input\":\"hi\"}", 400),
        EmbeddingsCase("embeddings: no input", "{\"model\":\"embed\"}", 400),
        EmbeddingsCase("embeddings: input is an empty string", "{\"model\":\"embed\",\"input\":\"\"}", 400),
        EmbeddingsCase("embeddings: input is an empty list", "{\"model\":\"embed\",\"input\":[]}", 400),
        EmbeddingsCase("embeddings: input list holds an empty string", "{\"model\":\"embed\",\"input\":[\"a\",\"\"]}", 400),
        EmbeddingsCase("embeddings: input mixes strings and numbers", "{\"model\":\"embed\",\"input\":[\"a\",1]}", 400),
        EmbeddingsCase("embeddings: input is an object", "{\"model\":\"embed\",\"input\":{\"text\":\"a\"}}", 400),
        EmbeddingsCase("embeddings: a negative token id", "{\"model\":\"embed\",\"input\":[-1]}", 400),
        EmbeddingsCase("embeddings: an empty token list", "{\"model\":\"embed\",\"input\":[[]]}", 400),
        EmbeddingsCase("embeddings: 2049 inputs", "{\"model\":\"embed\",\"input\":[" + string.Join(',', Enumerable.Repeat("\"a\"", 2049)) + "]}", 400),
        EmbeddingsCase("embeddings: dimensions 0", "{\"model\":\"embed\",\"input\":\"hi\",\"dimensions\":0}", 400),
        EmbeddingsCase("embeddings: dimensions is a string", "{\"model\":\"embed\",\"input\":\"hi\",\"dimensions\":\"8\"}", 400),
        EmbeddingsCase("embeddings: encoding_format int8", "{\"model\":\"embed\",\"input\":\"hi\",\"encoding_format\":\"int8\"}", 400),
        EmbeddingsCase("embeddings: an unknown model", "{\"model\":\"no-such-model\",\"input\":\"hi\"}", 404, "model_not_found"),
        EmbeddingsCase("embeddings: a chat alias", "{\"model\":\"chain\",\"input\":\"hi\"}", 400, "not_an_embedding_model"),
        EmbeddingsCase("embeddings: a chat model's route", "{\"model\":\"openai/gpt-4o-mini\",\"input\":\"hi\"}", 400, "not_an_embedding_model"),
        EmbeddingsCase("embeddings: token ids to a Gemini-only alias", "{\"model\":\"embed\",\"input\":[[1,2,3]]}", 400, "unsupported_capability"),
        Case("embeddings: text/plain body", RawHttp.Request("POST", Embeddings, ["Content-Type: text/plain"], Utf8("{\"model\":\"embed\",\"input\":\"hi\"}")), 415, ErrorShape.OpenAI, Invalid),
        OpenAI("chat: an embedding alias", "{\"model\":\"embed\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400) with { Code = "embedding_model" },
        Served("embeddings: token ids to an OpenAI-format route", Embeddings, Json, "{\"model\":\"openai/text-embedding-3-small\",\"input\":[[1,2,3]]}") with
        {
            Upstream = gateway => AssertLastCall(gateway, "openai", "/openai/v1/embeddings", "text-embedding-3-small"),
        },
        Served("embeddings: one string to Gemini", Embeddings, Json, "{\"model\":\"embed\",\"input\":\"hi\",\"dimensions\":4}"),
    ];

    private static BadInputCase EmbeddingsCase(string name, string body, int status, string? code = null) =>
        Case(name, RawHttp.Request("POST", Embeddings, Json, Utf8(body)), status, ErrorShape.OpenAI, Invalid, code);

    private static IEnumerable<BadInputCase> ResponsesDoor() =>
    [
        ResponsesCase("responses: body is not JSON", "{\"model\":\"chain\",\"input\":", 400),
        ResponsesCase("responses: input is a number", "{\"model\":\"chain\",\"input\":42}", 400),
        ResponsesCase("responses: no input", "{\"model\":\"chain\"}", 400),
        ResponsesCase("responses: an unknown field", "{\"model\":\"chain\",\"input\":\"hi\",\"temprature\":1}", 400),
        ResponsesCase("responses: temperature 9", "{\"model\":\"chain\",\"input\":\"hi\",\"temperature\":9}", 400),
        ResponsesCase("responses: max_output_tokens 0", "{\"model\":\"chain\",\"input\":\"hi\",\"max_output_tokens\":0}", 400),
        ResponsesCase("responses: an input item of an unknown type", "{\"model\":\"chain\",\"input\":[{\"type\":\"teleport\"}]}", 400),
        ResponsesCase("responses: function_call_output without call_id", "{\"model\":\"chain\",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}", 400),
        Case("responses: previous_response_id never stored", RawHttp.Request("POST", Responses, Json, Utf8("{\"model\":\"chain\",\"input\":\"hi\",\"previous_response_id\":\"resp_1\"}")), 400, ErrorShape.OpenAI, Invalid, "previous_response_not_found"),
        ResponsesCase("responses: previous_response_id is a number", "{\"model\":\"chain\",\"input\":\"hi\",\"previous_response_id\":42}", 400),
        Case("responses: GET an unknown stored response", RawHttp.Request("GET", Responses + "/resp_unknown", [], null), 404, ErrorShape.OpenAI, Invalid, "response_not_found"),
        Case("responses: DELETE an unknown stored response", RawHttp.Request("DELETE", Responses + "/resp_unknown", [], null), 404, ErrorShape.OpenAI, Invalid, "response_not_found"),
        Case("responses: PUT a stored response", RawHttp.Request("PUT", Responses + "/resp_unknown", Json, Utf8("{}")), 405, ErrorShape.OpenAI, Invalid),
        ResponsesCase("responses: only a built-in tool, and a tool required", "{\"model\":\"chain\",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}],\"tool_choice\":\"required\"}", 400),
        ResponsesCase("responses: an unknown model", "{\"model\":\"no-such-alias\",\"input\":\"hi\"}", 404),
        Case("responses: text/plain body", RawHttp.Request("POST", Responses, ["Content-Type: text/plain"], Utf8("{\"model\":\"chain\",\"input\":\"hi\"}")), 415, ErrorShape.OpenAI, Invalid),
    ];

    private static IEnumerable<BadInputCase> GeminiDoor() =>
    [
        GeminiCase("gemini: body is not JSON", GeminiGenerate, "{\"contents\":", 400),
        GeminiCase("gemini: contents is not a list", GeminiGenerate, "{\"contents\":\"hi\"}", 400),
        GeminiCase("gemini: no contents", GeminiGenerate, "{}", 400),
        GeminiCase("gemini: an unknown model", "/v1beta/models/no-such-alias:generateContent", "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}", 404),
        GeminiCase("gemini: an unknown method", "/v1beta/models/chain:teleport", "{}", 404),
        Case("gemini: POST a model without a method", RawHttp.Request("POST", "/v1beta/models/chain", Json, Utf8("{}")), 405, ErrorShape.Gemini),
        GeminiCase("gemini countTokens: body is not JSON", "/v1beta/models/chain:countTokens", "{\"contents\":", 400),
        Case("gemini: text/plain body", RawHttp.Request("POST", GeminiGenerate, ["Content-Type: text/plain"], Utf8("{}")), 415, ErrorShape.Gemini),
    ];

    private static BadInputCase ResponsesCase(string name, string body, int status) =>
        Case(name, RawHttp.Request("POST", Responses, Json, Utf8(body)), status, ErrorShape.OpenAI, status == 404 ? null : Invalid);

    private static BadInputCase GeminiCase(string name, string path, string body, int status) =>
        Case(name, RawHttp.Request("POST", path, Json, Utf8(body)), status, ErrorShape.Gemini, status == 404 ? "NOT_FOUND" : "INVALID_ARGUMENT");

    private static IEnumerable<BadInputCase> BodyShape() =>
    [
        OpenAI("chat: empty body", "", 400),
        OpenAI("chat: only whitespace", " \r\n\t ", 400),
        OpenAI("chat: not JSON", "hello there", 400),
        OpenAI("chat: truncated JSON", GoodChat[..30], 400),
        OpenAI("chat: top-level array", "[1,2,3]", 400),
        OpenAI("chat: top-level string", "\"chain\"", 400),
        OpenAI("chat: top-level number", "42", 400),
        OpenAI("chat: top-level null", "null", 400),
        OpenAI("chat: garbage after the object", GoodChat + " trailing", 400),
        OpenAI("chat: two objects", GoodChat + GoodChat, 400),
        OpenAI("chat: single quotes", "{'model':'chain','messages':[]}", 400),
        OpenAI("chat: comments", "/* hi */" + GoodChat, 400),
        Anthropic("messages: empty body", "", 400),
        Anthropic("messages: not JSON", "hello there", 400),
        Anthropic("messages: truncated JSON", GoodMessages[..40], 400),
        Anthropic("messages: top-level array", "[1,2,3]", 400),
        Anthropic("messages: top-level string", "\"chain\"", 400),
        Anthropic("messages: top-level null", "null", 400),
        Anthropic("messages: garbage after the object", GoodMessages + " trailing", 400),
        Anthropic("count_tokens: empty body", "", 400, CountTokens),
        Anthropic("count_tokens: not JSON", "hello", 400, CountTokens),
        Anthropic("count_tokens: truncated JSON", GoodChat[..30], 400, CountTokens),
    ];

    private static IEnumerable<BadInputCase> WrongTypes() =>
    [
        OpenAI("chat: model is a number", """{"model":42,"messages":[{"role":"user","content":"hi"}]}""", 400),
        OpenAI("chat: model is an object", """{"model":{"id":"chain"},"messages":[{"role":"user","content":"hi"}]}""", 400),
        OpenAI("chat: messages is an object", """{"model":"chain","messages":{"role":"user","content":"hi"}}""", 400),
        OpenAI("chat: messages is a string", """{"model":"chain","messages":"hi"}""", 400),
        OpenAI("chat: stream is a string", WithChat("\"stream\":\"yes\""), 400),
        OpenAI("chat: max_tokens is a string", WithChat("\"max_tokens\":\"100\""), 400),
        OpenAI("chat: max_tokens is negative", WithChat("\"max_tokens\":-5"), 400),
        OpenAI("chat: max_tokens is zero", WithChat("\"max_tokens\":0"), 400),
        OpenAI("chat: max_tokens is a fraction", WithChat("\"max_tokens\":1.5"), 400),
        OpenAI("chat: max_tokens is 1e308", WithChat("\"max_tokens\":1e308"), 400),
        OpenAI("chat: max_tokens beyond int64", WithChat("\"max_tokens\":123456789012345678901234567890"), 400),
        OpenAI("chat: max_tokens is 10^12", WithChat("\"max_tokens\":1000000000000"), 400),
        OpenAI("chat: max_completion_tokens is 10^12", WithChat("\"max_completion_tokens\":1000000000000"), 400),
        OpenAI("chat: temperature is a string", WithChat("\"temperature\":\"hot\""), 400),
        OpenAI("chat: top_p is a string", WithChat("\"top_p\":\"all\""), 400),
        Served("chat: max_tokens at int32 max", Chat, Json, WithChat("\"max_tokens\":2147483647")),
        Served("chat: max_tokens null", Chat, Json, WithChat("\"max_tokens\":null")),
        Anthropic("messages: model is a number", """{"model":42,"max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""", 400),
        Anthropic("messages: messages is an object", """{"model":"chain","max_tokens":64,"messages":{"role":"user","content":"hi"}}""", 400),
        Anthropic("messages: messages is a string", """{"model":"chain","max_tokens":64,"messages":"hi"}""", 400),
        Anthropic("messages: stream is a string", WithMessages("\"stream\":\"yes\""), 400),
        Anthropic("messages: max_tokens is a string", WithMessages("\"max_tokens\":\"100\"", maxTokens: false), 400),
        Anthropic("messages: max_tokens is negative", WithMessages("\"max_tokens\":-5", maxTokens: false), 400),
        Anthropic("messages: max_tokens is zero", WithMessages("\"max_tokens\":0", maxTokens: false), 400),
        Anthropic("messages: max_tokens is a fraction", WithMessages("\"max_tokens\":1.5", maxTokens: false), 400),
        Anthropic("messages: max_tokens is 1e308", WithMessages("\"max_tokens\":1e308", maxTokens: false), 400),
        Anthropic("messages: max_tokens beyond int64", WithMessages("\"max_tokens\":123456789012345678901234567890", maxTokens: false), 400),
        Anthropic("messages: max_tokens is 10^12", WithMessages("\"max_tokens\":1000000000000", maxTokens: false), 400),
        Anthropic("messages: temperature is a string", WithMessages("\"temperature\":\"hot\""), 400),
        Anthropic("messages: top_k is a fraction", WithMessages("\"top_k\":2.5"), 400),
        Served("messages: max_tokens at int32 max", Messages, AnthropicJson, WithMessages("\"max_tokens\":2147483647", maxTokens: false)),
    ];

    private static IEnumerable<BadInputCase> MissingFields() =>
    [
        OpenAI("chat: no model", """{"messages":[{"role":"user","content":"hi"}]}""", 400),
        OpenAI("chat: empty model", """{"model":"","messages":[{"role":"user","content":"hi"}]}""", 400),
        OpenAI("chat: no messages", """{"model":"chain"}""", 400),
        OpenAI("chat: empty messages", """{"model":"chain","messages":[]}""", 400),
        OpenAI("chat: message is a number", """{"model":"chain","messages":[1]}""", 400),
        OpenAI("chat: message with an unknown role", """{"model":"chain","messages":[{"role":"wizard","content":"hi"}]}""", 400),
        OpenAI("chat: message without a role", """{"model":"chain","messages":[{"content":"hi"}]}""", 400),
        OpenAI("chat: content is a number", """{"model":"chain","messages":[{"role":"user","content":42}]}""", 400),
        OpenAI("chat: content is an object", """{"model":"chain","messages":[{"role":"user","content":{"text":"hi"}}]}""", 400),
        Anthropic("messages: no model", """{"max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""", 400),
        Anthropic("messages: empty model", """{"model":"","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""", 400),
        Anthropic("messages: no messages", """{"model":"chain","max_tokens":64}""", 400),
        Anthropic("messages: empty messages", """{"model":"chain","max_tokens":64,"messages":[]}""", 400),
        Anthropic("messages: no max_tokens", """{"model":"chain","messages":[{"role":"user","content":"hi"}]}""", 400),
        Anthropic("messages: message is a number", """{"model":"chain","max_tokens":64,"messages":[1]}""", 400),
        Anthropic("messages: message with an unknown role", """{"model":"chain","max_tokens":64,"messages":[{"role":"wizard","content":"hi"}]}""", 400),
        Anthropic("messages: content is a number", """{"model":"chain","max_tokens":64,"messages":[{"role":"user","content":42}]}""", 400),
        Anthropic("messages: content block is a string in a list", """{"model":"chain","max_tokens":64,"messages":[{"role":"user","content":["hi"]}]}""", 400),
        Anthropic("count_tokens: no model", """{"messages":[{"role":"user","content":"hi"}]}""", 400, CountTokens),
        Anthropic("count_tokens: no messages", """{"model":"chain"}""", 400, CountTokens),
    ];

    private static IEnumerable<BadInputCase> Models() =>
    [
        OpenAI("chat: unknown alias", """{"model":"no-such-alias","messages":[{"role":"user","content":"hi"}]}""", 404) with { Code = "model_not_found" },
        OpenAI("chat: unknown provider route", """{"model":"nope/gpt-4o","messages":[{"role":"user","content":"hi"}]}""", 404) with { Code = "model_not_found" },
        OpenAI("chat: unknown model in models[]", """{"models":["chain","nope/x"],"messages":[{"role":"user","content":"hi"}]}""", 404) with { Code = "model_not_found" },
        OpenAI("chat: models[] with a number", """{"models":["chain",7],"messages":[{"role":"user","content":"hi"}]}""", 400),
        Anthropic("messages: unknown alias", """{"model":"no-such-alias","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""", 404) with { Type = "not_found_error" },
        Anthropic("messages: unknown provider route", """{"model":"nope/claude","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""", 404) with { Type = "not_found_error" },
        Anthropic("count_tokens: unknown alias", """{"model":"no-such-alias","messages":[{"role":"user","content":"hi"}]}""", 404, CountTokens) with { Type = "not_found_error" },
    ];

    private static IEnumerable<BadInputCase> Sizes()
    {
        var tooBigChat = Utf8(WithChat("\"padding\":\"" + new string('a', MaxBodyBytes) + "\""));
        var tooBigMessages = Utf8(WithMessages("\"metadata\":{\"pad\":\"" + new string('a', MaxBodyBytes) + "\"}"));
        var nearLimit = new string('x', MaxBodyBytes - 4096);
        return
        [
            Case("chat: body over the limit (Content-Length)", RawHttp.Request("POST", Chat, Json, tooBigChat), 413, ErrorShape.OpenAI, Invalid, "request_too_large"),
            Case("chat: body over the limit (chunked)", RawHttp.Request("POST", Chat, Json, tooBigChat, chunked: true), 413, ErrorShape.OpenAI, Invalid, "request_too_large"),
            Case("messages: body over the limit (Content-Length)", RawHttp.Request("POST", Messages, AnthropicJson, tooBigMessages), 413, ErrorShape.Anthropic, "request_too_large"),
            Case("messages: body over the limit (chunked)", RawHttp.Request("POST", Messages, AnthropicJson, tooBigMessages, chunked: true), 413, ErrorShape.Anthropic, "request_too_large"),
            Case("count_tokens: body over the limit", RawHttp.Request("POST", CountTokens, AnthropicJson, tooBigMessages), 413, ErrorShape.Anthropic, "request_too_large"),
            Case("chat: Content-Length beyond the limit, no body sent", RawHttp.Request("POST", Chat, [.. Json, "Content-Length: 999999999999"], null, contentLength: false), 413, ErrorShape.OpenAI, Invalid, "request_too_large"),
            Served("chat: chunked body within the limit", Chat, Json, GoodChat, chunked: true),
            Served("chat: huge string within the limit", Chat, Json, "{\"model\":\"chain\",\"messages\":[{\"role\":\"user\",\"content\":\"" + nearLimit + "\"}]}"),
            Served("messages: huge string within the limit", Messages, AnthropicJson, "{\"model\":\"chain\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"" + nearLimit + "\"}]}"),
        ];
    }

    private static IEnumerable<BadInputCase> Nesting()
    {
        var arrays = new string('[', 10_000) + new string(']', 10_000);
        var objects = string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000);
        var unclosed = new string('[', 10_000);
        return
        [
            OpenAI("chat: 10,000 nested arrays in content", "{\"model\":\"chain\",\"messages\":[{\"role\":\"user\",\"content\":" + arrays + "}]}", 400),
            OpenAI("chat: 10,000 nested objects in a field", WithChat("\"metadata\":" + objects), 400),
            OpenAI("chat: 10,000 unclosed arrays", unclosed, 400),
            OpenAI("chat: 70 nested arrays in a tool schema", WithChat("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":" + new string('[', 70) + new string(']', 70) + "}}]"), 400),
            Anthropic("messages: 10,000 nested arrays in content", "{\"model\":\"chain\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":" + arrays + "}]}", 400),
            Anthropic("messages: 10,000 nested objects in a field", WithMessages("\"metadata\":" + objects), 400),
            Anthropic("count_tokens: 10,000 unclosed arrays", unclosed, 400, CountTokens),
        ];
    }

    private static IEnumerable<BadInputCase> Unicode()
    {
        byte[] WithBytes(string before, byte[] bad, string after) => [.. Utf8(before), .. bad, .. Utf8(after)];
        const string ChatHead = "{\"model\":\"chain\",\"messages\":[{\"role\":\"user\",\"content\":\"a";
        const string ChatTail = "b\"}]}";
        const string MessagesHead = "{\"model\":\"chain\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"a";
        return
        [
            Case("chat: invalid UTF-8 in content", RawHttp.Request("POST", Chat, Json, WithBytes(ChatHead, [0xC3, 0x28], ChatTail)), 400, ErrorShape.OpenAI, Invalid),
            Case("chat: 0xFF byte in content", RawHttp.Request("POST", Chat, Json, WithBytes(ChatHead, [0xFF, 0xFE], ChatTail)), 400, ErrorShape.OpenAI, Invalid),
            Case("chat: overlong UTF-8 in model", RawHttp.Request("POST", Chat, Json, WithBytes("{\"model\":\"ch", [0xC0, 0xAF], "ain\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")), 400, ErrorShape.OpenAI, Invalid),
            Case("messages: invalid UTF-8 in content", RawHttp.Request("POST", Messages, AnthropicJson, WithBytes(MessagesHead, [0xC3, 0x28], ChatTail)), 400, ErrorShape.Anthropic, Invalid),
            OpenAI("chat: lone high surrogate escape in content", ChatHead + "\\ud800" + ChatTail, 400),
            OpenAI("chat: lone low surrogate escape in content", ChatHead + "\\udc00" + ChatTail, 400),
            OpenAI("chat: lone surrogate escape in model", """{"model":"\ud800","messages":[{"role":"user","content":"hi"}]}""", 400),
            OpenAI("chat: lone surrogate escape in a field name", "{\"model\":\"chain\",\"\\ud800\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400),
            Anthropic("messages: lone surrogate escape in content", MessagesHead + "\\ud800" + ChatTail, 400),
            Anthropic("messages: lone surrogate escape in model", """{"model":"\ud800","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""", 400),
            Anthropic("count_tokens: lone surrogate escape in content", ChatHead + "\\ud800" + ChatTail, 400, CountTokens),
            Served("chat: surrogate pair escape in content", Chat, Json, ChatHead + "\\ud83d\\ude00" + ChatTail),
            Served("messages: surrogate pair escape in content", Messages, AnthropicJson, MessagesHead + "\\ud83d\\ude00" + ChatTail),
            Case("chat: raw NUL byte in a string", RawHttp.Request("POST", Chat, Json, WithBytes(ChatHead, [0x00], ChatTail)), 400, ErrorShape.OpenAI, Invalid),
            Case("messages: raw NUL byte in a string", RawHttp.Request("POST", Messages, AnthropicJson, WithBytes(MessagesHead, [0x00], ChatTail)), 400, ErrorShape.Anthropic, Invalid),
            Served("chat: escaped NUL in content", Chat, Json, ChatHead + "\\u0000" + ChatTail),
            Served("messages: escaped NUL in content", Messages, AnthropicJson, MessagesHead + "\\u0000" + ChatTail),
            OpenAI("chat: escaped NUL in model", """{"model":"chain\u0000","messages":[{"role":"user","content":"hi"}]}""", 400),
            Anthropic("messages: escaped NUL in model", """{"model":"chain\u0000","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""", 400),
            Case("chat: UTF-8 byte order mark before the body", RawHttp.Request("POST", Chat, Json, [0xEF, 0xBB, 0xBF, .. Utf8(GoodChat)]), 400, ErrorShape.OpenAI, Invalid),
            OpenAI("chat: duplicate model key", """{"model":"chain","model":"openai/gpt-4o","messages":[{"role":"user","content":"hi"}]}""", 400),
            OpenAI("chat: duplicate stream key", """{"model":"chain","stream":false,"stream":true,"messages":[{"role":"user","content":"hi"}]}""", 400),
            Anthropic("messages: duplicate model key", """{"model":"chain","model":"openai/gpt-4o","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""", 400),
            Served("chat: duplicate keys inside a message", Chat, Json, """{"model":"chain","messages":[{"role":"user","content":"a","content":"b"}]}"""),
        ];
    }

    private static IEnumerable<BadInputCase> ContentTypes() =>
    [
        Case("chat: Content-Type text/plain", RawHttp.Request("POST", Chat, ["Content-Type: text/plain"], Utf8(GoodChat)), 415, ErrorShape.OpenAI, Invalid, "unsupported_media_type"),
        Case("chat: no Content-Type", RawHttp.Request("POST", Chat, [], Utf8(GoodChat)), 415, ErrorShape.OpenAI, Invalid, "unsupported_media_type"),
        Case("chat: form Content-Type (curl -d)", RawHttp.Request("POST", Chat, ["Content-Type: application/x-www-form-urlencoded"], Utf8(GoodChat)), 415, ErrorShape.OpenAI, Invalid, "unsupported_media_type"),
        Case("messages: Content-Type text/plain", RawHttp.Request("POST", Messages, ["Content-Type: text/plain", "anthropic-version: 2023-06-01"], Utf8(GoodMessages)), 415, ErrorShape.Anthropic, Invalid),
        Case("messages: no Content-Type", RawHttp.Request("POST", Messages, ["anthropic-version: 2023-06-01"], Utf8(GoodMessages)), 415, ErrorShape.Anthropic, Invalid),
        Case("count_tokens: no Content-Type", RawHttp.Request("POST", CountTokens, ["anthropic-version: 2023-06-01"], Utf8(GoodChat)), 415, ErrorShape.Anthropic, Invalid),
        Served("chat: application/json; charset=utf-8", Chat, ["Content-Type: application/json; charset=utf-8"], GoodChat),
        Served("chat: upper-case Application/JSON", Chat, ["Content-Type: Application/JSON"], GoodChat),
    ];

    private static IEnumerable<BadInputCase> Headers() =>
    [
        Case("bare CR inside anthropic-version", RawHttp.Request("POST", Messages, ["Content-Type: application/json", "anthropic-version: 2023\r06-01"], Utf8(GoodMessages)), 400, ErrorShape.Server),
        // Kestrel reads a bare LF as a line end (RFC 9112 allows it): the client sent itself a second header, which
        // Spillway ignores and never forwards (UpstreamHeaderInjectionTests checks what reaches an upstream).
        Served("bare LF inside x-spillway-max-tier", Chat, [.. Json, "x-spillway-max-tier: free\nX-Injected: 1"], GoodChat),
        Case("NUL inside anthropic-beta", RawHttp.Request("POST", Messages, [.. AnthropicJson, "anthropic-beta: tools\0x"], Utf8(GoodMessages)), 400, ErrorShape.Server),
        Case("obs-fold continuation of anthropic-beta", RawHttp.Request("POST", Messages, [.. AnthropicJson, "anthropic-beta: a", " X-Injected: 1"], Utf8(GoodMessages)), 400, ErrorShape.Server),
        Case("non-ASCII byte in x-spillway-data-policy", RawHttp.Request("POST", Chat, [.. Json, "x-spillway-data-policy: no-tr\u00e9in"], Utf8(GoodChat)), 400, ErrorShape.Server),
        Case("header without a colon", RawHttp.Request("POST", Chat, [.. Json, "x-spillway-max-tier free"], Utf8(GoodChat)), 400, ErrorShape.Server),
        Case("150 headers", RawHttp.Request("POST", Chat, [.. Json, .. Enumerable.Range(0, 150).Select(i => $"x-filler-{i}: {i}")], Utf8(GoodChat)), 431, ErrorShape.Server),
        Case("40 KB header", RawHttp.Request("POST", Chat, [.. Json, "x-filler: " + new string('a', 40 * 1024)], Utf8(GoodChat)), 431, ErrorShape.Server),
        Case("10 KB request line", RawHttp.Request("POST", Chat + "?" + new string('a', 10 * 1024), Json, Utf8(GoodChat)), 414, ErrorShape.Server),
        Case("encoded CRLF in the path", RawHttp.Request("POST", "/v1/chat/completions%0d%0aX-Injected:%201", Json, Utf8(GoodChat)), 404, ErrorShape.OpenAI, Invalid, "unknown_url"),
        Served("unknown x-spillway-max-tier value", Chat, [.. Json, "x-spillway-max-tier: \"><script>"], GoodChat),
        Served("odd but legal anthropic-beta", Messages, [.. AnthropicJson, "anthropic-beta: a,b;c=d:e/f%0d%0aX-Injected: 1"], GoodMessages),
    ];

    private static IEnumerable<BadInputCase> ModelInjection() =>
    [
        OpenAI("chat: CR/LF in model", """{"model":"openai/x\r\nX-Injected: 1","messages":[{"role":"user","content":"hi"}]}""", 400),
        Anthropic("messages: CR/LF in model", """{"model":"claude/x\r\nX-Injected: 1","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""", 400),
        OpenAI("chat: model 300 characters long", "{\"model\":\"openai/" + new string('m', 300) + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400),
        Served("chat: ../ in an OpenAI model", Chat, Json, """{"model":"openai/../../admin","messages":[{"role":"user","content":"hi"}]}""") with
        {
            Upstream = gateway => AssertLastCall(gateway, "openai", "/openai/v1/chat/completions", "../../admin"),
        },
        Served("chat: URL as an OpenAI model", Chat, Json, """{"model":"openai/https://evil.example/v1?x=1#y","messages":[{"role":"user","content":"hi"}]}""") with
        {
            Upstream = gateway => AssertLastCall(gateway, "openai", "/openai/v1/chat/completions", "https://evil.example/v1?x=1#y"),
        },
        Served("chat: non-ASCII model", Chat, Json, """{"model":"openai/mod\u00e8le-\u6a21\u578b","messages":[{"role":"user","content":"hi"}]}""") with
        {
            Upstream = gateway => AssertLastCall(gateway, "openai", "/openai/v1/chat/completions", "mod\u00e8le-\u6a21\u578b"),
        },
        Served("chat: ../ and ? in a Gemini model (goes in the URL path)", Chat, Json, """{"model":"gemini/../../../evil?key=x#f","messages":[{"role":"user","content":"hi"}]}""") with
        {
            NoUpstreamCall = false,
            Upstream = gateway =>
            {
                var call = gateway["gemini"].Calls[^1];
                Assert.StartsWith("/gemini/v1beta/models/", call.Path, StringComparison.Ordinal);
                Assert.DoesNotContain("/evil", call.Path, StringComparison.Ordinal);
            },
        },
        Served("messages: ../ in an Anthropic model", Messages, AnthropicJson, """{"model":"claude/../../admin","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""") with
        {
            Upstream = gateway => AssertLastCall(gateway, "claude", "/claude/v1/messages", "../../admin"),
        },
    ];

    /// <summary>Requests that pass the door but must be translated for another format's upstream.</summary>
    private static IEnumerable<BadInputCase> Translation() =>
    [
        OpenAI("chat to Anthropic: temperature 1e400", """{"model":"claude/claude-haiku-4-5","temperature":1e400,"messages":[{"role":"user","content":"hi"}]}""", 400),
        OpenAI("chat to Gemini: temperature 1e400", """{"model":"gemini/gemini-2.5-flash","temperature":1e400,"messages":[{"role":"user","content":"hi"}]}""", 400),
        OpenAI("chat to Anthropic: json_schema is a number", """{"model":"claude/claude-haiku-4-5","response_format":{"type":"json_schema","json_schema":5},"messages":[{"role":"user","content":"hi"}]}""", 400),
        Served("chat to Anthropic: json_schema without a schema", Chat, Json, """{"model":"claude/claude-haiku-4-5","response_format":{"type":"json_schema","json_schema":{"name":"a"}},"messages":[{"role":"user","content":"hi"}]}""") with
        {
            Upstream = gateway =>
            {
                using var body = JsonDocument.Parse(gateway["claude"].Calls[^1].Body);
                Assert.Equal("{}", body.RootElement.GetProperty("output_config").GetProperty("format").GetProperty("schema").GetRawText());
            },
        },
        Anthropic("messages to Gemini: image source is a number", """{"model":"gemini/gemini-2.5-flash","max_tokens":64,"messages":[{"role":"user","content":[{"type":"image","source":5}]}]}""", 400),
        Served("count_tokens to Gemini: image source is a number (counted here)", CountTokens, AnthropicJson, """{"model":"gemini/gemini-2.5-flash","messages":[{"role":"user","content":[{"type":"image","source":5}]}]}"""),
        Anthropic("messages to OpenAI: temperature 1e400", """{"model":"openai/gpt-4o-mini","max_tokens":64,"temperature":1e400,"messages":[{"role":"user","content":"hi"}]}""", 400),
    ];

    private static IEnumerable<BadInputCase> MethodsAndPaths() =>
    [
        Case("GET /v1/chat/completions", RawHttp.Request("GET", Chat, [], null), 405, ErrorShape.OpenAI, Invalid, "method_not_allowed"),
        Case("PUT /v1/chat/completions", RawHttp.Request("PUT", Chat, Json, Utf8(GoodChat)), 405, ErrorShape.OpenAI, Invalid, "method_not_allowed"),
        Case("GET /v1/messages", RawHttp.Request("GET", Messages, ["anthropic-version: 2023-06-01"], null), 405, ErrorShape.Anthropic, Invalid),
        Case("DELETE /v1/messages/count_tokens", RawHttp.Request("DELETE", CountTokens, [], null), 405, ErrorShape.Anthropic, Invalid),
        Case("POST /v1/models", RawHttp.Request("POST", "/v1/models", Json, Utf8("{}")), 405, ErrorShape.OpenAI, Invalid, "method_not_allowed"),
        Case("GET an unknown path", RawHttp.Request("GET", "/v1/nope", [], null), 404, ErrorShape.OpenAI, Invalid, "unknown_url"),
        Case("POST an unknown path under /v1/messages", RawHttp.Request("POST", "/v1/messages/nope", AnthropicJson, Utf8(GoodMessages)), 404, ErrorShape.Anthropic, "not_found_error"),
        Case("GET /", RawHttp.Request("GET", "/", [], null), 404, ErrorShape.OpenAI, Invalid, "unknown_url"),
        Case("path traversal to the admin API", RawHttp.Request("GET", "/v1/../admin/requests", [], null), 401, ErrorShape.OpenAI, "authentication_error", "invalid_admin_token"),
    ];

    private static IEnumerable<BadInputCase> Admin() =>
    [
        .. new[] { "/admin/requests", "/admin/keys", "/admin/routes", "/admin/usage", "/admin/catalog/free" }.Select(path =>
            Case($"GET {path} without the admin token", RawHttp.Request("GET", path, [], null), 401, ErrorShape.OpenAI, "authentication_error", "invalid_admin_token")),
        Case("GET /admin/requests with a wrong token", RawHttp.Request("GET", "/admin/requests", ["Authorization: Bearer not-the-token"], null), 401, ErrorShape.OpenAI, "authentication_error", "invalid_admin_token"),
        Case("GET /admin/requests with an empty Bearer", RawHttp.Request("GET", "/admin/requests", ["Authorization: Bearer "], null), 401, ErrorShape.OpenAI, "authentication_error", "invalid_admin_token"),
        Case("GET /admin/requests with a wrong x-api-key", RawHttp.Request("GET", "/admin/requests", ["x-api-key: not-the-token"], null), 401, ErrorShape.OpenAI, "authentication_error", "invalid_admin_token"),
        Case("GET /admin/requests with the token in the query", RawHttp.Request("GET", "/admin/requests?token=" + AdminToken, [], null), 401, ErrorShape.OpenAI, "authentication_error", "invalid_admin_token"),
        Case("GET /admin/requests?limit=-1e308 with the token", RawHttp.Request("GET", "/admin/requests?limit=-1e308", ["Authorization: Bearer " + AdminToken], null), 400, ErrorShape.OpenAI, Invalid, "invalid_limit"),
    ];

    private static BadInputCase OpenAI(string name, string body, int status) =>
        Case(name, RawHttp.Request("POST", Chat, Json, Utf8(body)), status, ErrorShape.OpenAI, Invalid);

    private static BadInputCase Anthropic(string name, string body, int status, string path = Messages) =>
        Case(name, RawHttp.Request("POST", path, AnthropicJson, Utf8(body)), status, ErrorShape.Anthropic, status == 404 ? "not_found_error" : Invalid);

    private static BadInputCase Served(string name, string path, string[] headers, string body, bool chunked = false) =>
        new(name, RawHttp.Request("POST", path, headers, Utf8(body), chunked), 200, ErrorShape.Served) { NoUpstreamCall = false };

    private static BadInputCase Case(string name, byte[] request, int status, ErrorShape shape, string? type = null, string? code = null) =>
        new(name, request, status, shape) { Type = type, Code = code };

    private static string WithChat(string field) =>
        "{\"model\":\"chain\"," + field + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static string WithMessages(string field, bool maxTokens = true) =>
        "{\"model\":\"chain\"," + (maxTokens ? "\"max_tokens\":64," : "") + field + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    private static void AssertLastCall(TestGateway gateway, string provider, string path, string model)
    {
        var call = gateway[provider].Calls[^1];
        Assert.Equal(path, call.Path);
        using var body = JsonDocument.Parse(call.Body);
        Assert.Equal(model, body.RootElement.GetProperty("model").GetString());
    }
}
