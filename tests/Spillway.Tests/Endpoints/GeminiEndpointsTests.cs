using System.Net;
using System.Text;
using System.Text.Json;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>
/// Gemini's own API as a door: a Gemini client's request reaches an upstream of any format through an alias, with the
/// same fallback and ledger, and gets Gemini's answer, stream and error shapes back.
/// </summary>
public sealed class GeminiEndpointsTests
{
    private const string Reply = "Answered through the Gemini door.";
    private const string ClientKey = "sk-spill-gemini-door-0123456789abcdef";

    private static StringContent Body(string text = "Say hello") =>
        new($$$"""{"contents":[{"role":"user","parts":[{"text":"{{{text}}}"}]}],"generationConfig":{"maxOutputTokens":256}}""", Encoding.UTF8, "application/json");

    [Theory]
    [InlineData(SimulatorStyle.OpenAI)]
    [InlineData(SimulatorStyle.Anthropic)]
    [InlineData(SimulatorStyle.GeminiNative)]
    public async Task GenerateContent_AnyUpstream_AnswersInGeminisShapeWithTheRouteAndALedgerRow(SimulatorStyle style)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", style) { ReplyText = Reply }]);

        using var response = await gateway.Http.PostAsync("/v1beta/models/chain:generateContent", Body());
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var candidate = answer.RootElement.GetProperty("candidates")[0];
        Assert.Equal(Reply, candidate.GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString());
        Assert.Equal("STOP", candidate.GetProperty("finishReason").GetString());
        Assert.True(answer.RootElement.GetProperty("usageMetadata").GetProperty("promptTokenCount").GetInt32() > 0);
        Assert.Equal("up/" + TestGateway.DefaultModel(style), response.Headers.GetValues(SpillwayHeaders.Route).Single());
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal("gemini", entry.GetProperty("client_format").GetString());
        Assert.Equal("chain", entry.GetProperty("model").GetString());
    }

    [Fact]
    public async Task GenerateContent_GeminiUpstream_GetsTheClientsBodyAsItCameOnTheRoutesModel()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.GeminiNative) { ReplyText = Reply }]);

        using var response = await gateway.Http.PostAsync("/v1beta/models/chain:generateContent", Body("Pass me through"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = gateway["up"].Calls.Single();
        Assert.Contains("gemini-2.5-flash:generateContent", call.Path, StringComparison.Ordinal);
        Assert.Contains("\"maxOutputTokens\":256", Encoding.UTF8.GetString(call.Body), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SimulatorStyle.OpenAI)]
    [InlineData(SimulatorStyle.Anthropic)]
    public async Task StreamGenerateContent_StreamsGeminiChunksWhoseTextIsTheAnswerAndEndsWithStop(SimulatorStyle style)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", style) { ReplyText = Reply }]);

        using var response = await gateway.Http.PostAsync("/v1beta/models/chain:streamGenerateContent?alt=sse", Body());
        var chunks = (await Sse.DataOfAsync(response)).Select(d => JsonDocument.Parse(d).RootElement).ToList();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.True(chunks.Count > 2, $"{chunks.Count} chunks");
        var text = string.Concat(chunks
            .Select(c => c.GetProperty("candidates")[0])
            .Where(c => c.TryGetProperty("content", out _))
            .SelectMany(c => c.GetProperty("content").GetProperty("parts").EnumerateArray())
            .Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : ""));
        Assert.Equal(Reply, text);
        Assert.Equal("STOP", chunks[^1].GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        Assert.True(chunks[^1].GetProperty("usageMetadata").GetProperty("candidatesTokenCount").GetInt32() > 0);
    }

    [Fact]
    public async Task FirstRouteRateLimited_TheNextServesTheGeminiClient()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("groq", SimulatorStyle.Groq) { ReplyText = Reply },
            new SimulatedProvider("claude", SimulatorStyle.Anthropic) { ReplyText = Reply },
        ]);
        gateway["groq"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));

        using var response = await gateway.Http.PostAsync("/v1beta/models/chain:streamGenerateContent?alt=sse", Body());
        var chunks = await Sse.DataOfAsync(response);

        Assert.Equal("claude/claude-haiku-4-5", response.Headers.GetValues(SpillwayHeaders.Route).Single());
        Assert.Contains(chunks, c => c.Contains("\"finishReason\":\"STOP\"", StringComparison.Ordinal));
        var attempts = (await gateway.LedgerAsync(1))[0].GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString());
        Assert.Equal(["rate_limited", "ok"], attempts);
    }

    [Theory]
    [InlineData(SimulatorStyle.GeminiNative)]
    [InlineData(SimulatorStyle.OpenAI)]
    public async Task StreamCutMidAnswer_GoesOnFromTheBackupAndTheClientReadsTheWholeAnswer(SimulatorStyle primary)
    {
        const string Long = "The quick brown fox jumps over the lazy dog, and then the dog chases the fox back home.";
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("primary", primary) { ReplyText = Long },
            new SimulatedProvider("backup", SimulatorStyle.Anthropic) { ReplyText = Long },
        ]);
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(4));

        using var response = await gateway.Http.PostAsync("/v1beta/models/chain:streamGenerateContent?alt=sse", Body());
        var chunks = (await Sse.DataOfAsync(response)).Select(d => JsonDocument.Parse(d).RootElement).ToList();

        Assert.DoesNotContain(chunks, c => c.TryGetProperty("error", out _));
        var text = string.Concat(chunks
            .Select(c => c.GetProperty("candidates")[0])
            .Where(c => c.TryGetProperty("content", out _))
            .SelectMany(c => c.GetProperty("content").GetProperty("parts").EnumerateArray())
            .Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : ""));
        Assert.Equal(Long, text);
        Assert.Equal("STOP", chunks[^1].GetProperty("candidates")[0].GetProperty("finishReason").GetString());
        var attempts = (await gateway.LedgerAsync(1))[0].GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString());
        Assert.Equal(["connection_failed", "ok"], attempts);
    }

    [Fact]
    public async Task StreamBreaksAndNothingCanGoOn_EndsWithGeminisErrorEventAndNoFinish()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.OpenAI) { ReplyText = Reply }]);
        gateway["up"].Enqueue(SimulatedFault.FailMidStream(2));

        using var response = await gateway.Http.PostAsync("/v1beta/models/chain:streamGenerateContent?alt=sse", Body());
        var chunks = await Sse.DataOfAsync(response);

        using var last = JsonDocument.Parse(chunks[^1]);
        Assert.Contains("incomplete", last.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(chunks, c => c.Contains("\"finishReason\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientKeys_XGoogApiKeyOrKeyQueryAdmit_AndAMissingKeyIsRefusedInGeminisShape()
    {
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("up") { ReplyText = Reply }],
            (_, config) => config with { Auth = config.Auth with { Clients = [new ClientKeyConfig("team", ClientKeyHash.Of(ClientKey))] } });

        using var header = new HttpRequestMessage(HttpMethod.Post, "/v1beta/models/chain:generateContent") { Content = Body() };
        header.Headers.Add("x-goog-api-key", ClientKey);
        using var byHeader = await gateway.Http.SendAsync(header);
        using var byQuery = await gateway.Http.PostAsync($"/v1beta/models/chain:generateContent?key={ClientKey}", Body());
        using var missing = await gateway.Http.PostAsync("/v1beta/models/chain:generateContent", Body());

        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        using var error = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
        Assert.Equal(401, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("UNAUTHENTICATED", error.RootElement.GetProperty("error").GetProperty("status").GetString());
        Assert.Equal("team", (await gateway.LedgerAsync(3))[1].GetProperty("client_id").GetString());
    }

    [Theory]
    [InlineData("/v1beta/models/chain:generateContent", "{\"contents\":", 400, "INVALID_ARGUMENT")]
    [InlineData("/v1beta/models/chain:generateContent", "{\"contents\":\"not a list\"}", 400, "INVALID_ARGUMENT")]
    [InlineData("/v1beta/models/no-such-alias:generateContent", "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}]}", 404, "NOT_FOUND")]
    [InlineData("/v1beta/models/chain:embedContent", "{}", 404, "NOT_FOUND")]
    public async Task BadRequests_AreRefusedInGeminisErrorShapeWithoutAnUpstreamCall(string path, string body, int status, string gstatus)
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up") { ReplyText = Reply }]);

        using var response = await gateway.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(gstatus, error.RootElement.GetProperty("error").GetProperty("status").GetString());
        Assert.Equal(0, gateway["up"].CallCount);
    }

    [Fact]
    public async Task Models_ListAndOne_InGeminisShape()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up") { ReplyText = Reply }]);

        using var list = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1beta/models"));
        using var one = JsonDocument.Parse(await gateway.Http.GetStringAsync("/v1beta/models/up%2Fgpt-4o-mini"));
        using var missing = await gateway.Http.GetAsync("/v1beta/models/nothing-here");

        var names = list.RootElement.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Contains("models/chain", names);
        Assert.Contains("models/up/gpt-4o-mini", names);
        Assert.Equal("models/up/gpt-4o-mini", one.RootElement.GetProperty("name").GetString());
        Assert.Contains("generateContent", one.RootElement.GetProperty("supportedGenerationMethods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task CountTokens_ContentsOrAWholeRequest_CountedHereWithoutAnUpstreamCall()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up") { ReplyText = Reply }]);

        using var contents = await gateway.Http.PostAsync("/v1beta/models/chain:countTokens", Body("Count these few words please"));
        using var whole = await gateway.Http.PostAsync("/v1beta/models/chain:countTokens", new StringContent(
            """{"generateContentRequest":{"model":"models/chain","systemInstruction":{"parts":[{"text":"You are terse and exact in every answer you give."}]},"contents":[{"role":"user","parts":[{"text":"Count these few words please"}]}]}}""",
            Encoding.UTF8,
            "application/json"));

        using var counted = JsonDocument.Parse(await contents.Content.ReadAsStringAsync());
        using var countedWhole = JsonDocument.Parse(await whole.Content.ReadAsStringAsync());
        var few = counted.RootElement.GetProperty("totalTokens").GetInt64();
        Assert.InRange(few, 3, 30);
        Assert.True(countedWhole.RootElement.GetProperty("totalTokens").GetInt64() > few, "the system instruction is counted too");
        Assert.Equal(0, gateway["up"].CallCount);
    }
}
