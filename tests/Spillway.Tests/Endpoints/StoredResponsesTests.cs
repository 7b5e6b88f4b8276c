using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.Storage.Sqlite;
using Spillway.Tests.Support;
using Spillway.TestSupport;

namespace Spillway.Tests.Endpoints;

/// <summary>
/// Stored responses on a live gateway: <c>store</c> on (the API's default) keeps the answer as the client got it,
/// <c>GET</c>/<c>DELETE /v1/responses/{id}</c> read and remove it, and <c>previous_response_id</c> continues the
/// conversation on any upstream format; <c>store: false</c> keeps nothing.
/// </summary>
public sealed class StoredResponsesTests
{
    private const string FirstQuestion = "My name is Ada. Remember it.";
    private const string FirstAnswer = "Noted, Ada: I will remember your name.";
    private const string SecondAnswer = "Your name is Ada.";

    private static StringContent Body(string model, string input, bool stream = false, string extra = "") =>
        new($$"""{"model":"{{model}}","input":"{{JsonEncodedText.Encode(input)}}","stream":{{(stream ? "true" : "false")}}{{extra}}}""", Encoding.UTF8, "application/json");

    private static StringContent FollowUp(string model, string previousId, string input, bool stream = false, string extra = "") =>
        Body(model, input, stream, $",\"previous_response_id\":\"{previousId}\"{extra}");

    [Fact]
    public async Task Create_StoreByDefault_GetReturnsTheSameObject()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up") { ReplyText = FirstAnswer }]);

        using var created = await gateway.Http.PostAsync("/v1/responses", Body("chain", FirstQuestion));
        var body = await created.Content.ReadAsStringAsync();
        var id = IdOf(body);
        using var read = await gateway.Http.GetAsync($"/v1/responses/{id}");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("store").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("application/json", read.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await read.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Stream_StoreByDefault_GetReturnsTheResponseOfResponseCompleted()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.Anthropic) { ReplyText = FirstAnswer }]);

        using var created = await gateway.Http.PostAsync("/v1/responses", Body("chain", FirstQuestion, stream: true));
        var events = await Sse.DataOfAsync(created);
        using var completed = JsonDocument.Parse(events[^1]);
        var response = completed.RootElement.GetProperty("response");
        using var read = await gateway.Http.GetAsync($"/v1/responses/{response.GetProperty("id").GetString()}");

        Assert.Equal("response.completed", completed.RootElement.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(response.GetRawText(), await read.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(SimulatorStyle.Anthropic, false)]
    [InlineData(SimulatorStyle.GeminiNative, true)]
    public async Task FollowUp_OnAnotherUpstreamFormat_TheSecondUpstreamGetsTheFirstTurnAsHistory(SimulatorStyle second, bool stream)
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("oai", SimulatorStyle.OpenAI) { ReplyText = FirstAnswer },
            new SimulatedProvider("other", second) { ReplyText = SecondAnswer },
        ]);

        using var first = await gateway.Http.PostAsync(
            "/v1/responses", Body("oai/gpt-4o-mini", FirstQuestion, stream, ",\"instructions\":\"Answer like a pirate.\""));
        var firstId = stream ? IdOfStream(await Sse.DataOfAsync(first)) : IdOf(await first.Content.ReadAsStringAsync());
        using var followUp = await gateway.Http.PostAsync(
            "/v1/responses", FollowUp("other/" + TestGateway.DefaultModel(second), firstId, "What is my name?", stream));
        var followUpBody = await followUp.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
        var upstream = Encoding.UTF8.GetString(Assert.Single(gateway["other"].Calls).Body);
        Assert.Contains(FirstQuestion, upstream, StringComparison.Ordinal);
        Assert.Contains(FirstAnswer, upstream, StringComparison.Ordinal);
        Assert.Contains("What is my name?", upstream, StringComparison.Ordinal);
        Assert.True(upstream.IndexOf(FirstAnswer, StringComparison.Ordinal) < upstream.IndexOf("What is my name?", StringComparison.Ordinal));

        // instructions belong to the request that states them (OpenAI's rule), not to the conversation.
        Assert.DoesNotContain("pirate", upstream, StringComparison.Ordinal);
        if (!stream)
        {
            Assert.Equal(firstId, JsonDocument.Parse(followUpBody).RootElement.GetProperty("previous_response_id").GetString());
        }
    }

    [Fact]
    public async Task FollowUpOfAFollowUp_TheThirdTurnGetsTheWholeConversation()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.Anthropic) { ReplyText = FirstAnswer }]);

        using var first = await gateway.Http.PostAsync("/v1/responses", Body("chain", FirstQuestion));
        using var second = await gateway.Http.PostAsync("/v1/responses", FollowUp("chain", IdOf(await first.Content.ReadAsStringAsync()), "Second question"));
        using var third = await gateway.Http.PostAsync("/v1/responses", FollowUp("chain", IdOf(await second.Content.ReadAsStringAsync()), "Third question"));

        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        var upstream = Encoding.UTF8.GetString(gateway["up"].Calls[^1].Body);
        using var sent = JsonDocument.Parse(upstream);
        var turns = sent.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToList();
        Assert.Equal(["user", "assistant", "user", "assistant", "user"], turns);
        Assert.Contains("Third question", upstream, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowUp_WithTheFunctionCallOutput_TheUpstreamGetsTheStoredCallAndItsResult()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up", SimulatorStyle.Anthropic)
        {
            ReplyText = FirstAnswer,
            ToolCall = new SimulatedToolCall("get_weather", """{"city":"Paris"}"""),
        }]);
        const string Tools = ",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]";

        using var first = await gateway.Http.PostAsync("/v1/responses", Body("chain", "Weather in Paris?", extra: Tools));
        using var call = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var callId = call.RootElement.GetProperty("output").EnumerateArray()
            .Single(i => i.GetProperty("type").GetString() == "function_call").GetProperty("call_id").GetString();

        // What the Agents SDKs send: only the tool's output, the call itself being in the stored response.
        var followUp = $$"""
            {"model":"chain","previous_response_id":"{{call.RootElement.GetProperty("id").GetString()}}"{{Tools}},
             "input":[{"type":"function_call_output","call_id":"{{callId}}","output":"Sunny, 21 degrees"}]}
            """;
        using var second = await gateway.Http.PostAsync("/v1/responses", new StringContent(followUp, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var sent = JsonDocument.Parse(gateway["up"].Calls[^1].Body);
        var messages = sent.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["user", "assistant", "user"], messages.Select(m => m.GetProperty("role").GetString()));
        var toolUse = messages[1].GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
        var toolResult = messages[2].GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_result");
        Assert.Equal(toolUse.GetProperty("id").GetString(), toolResult.GetProperty("tool_use_id").GetString());
        Assert.Contains("Sunny, 21 degrees", toolResult.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowUp_OfAResponseMadeWithStoreFalse_Is400PreviousResponseNotFound()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up") { ReplyText = FirstAnswer }]);

        using var first = await gateway.Http.PostAsync("/v1/responses", Body("chain", FirstQuestion, extra: ",\"store\":false"));
        var body = await first.Content.ReadAsStringAsync();
        var id = IdOf(body);
        using var read = await gateway.Http.GetAsync($"/v1/responses/{id}");
        using var followUp = await gateway.Http.PostAsync("/v1/responses", FollowUp("chain", id, "What is my name?"));
        using var error = JsonDocument.Parse(await followUp.Content.ReadAsStringAsync());

        Assert.False(JsonDocument.Parse(body).RootElement.GetProperty("store").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, followUp.StatusCode);
        var details = error.RootElement.GetProperty("error");
        Assert.Equal("previous_response_not_found", details.GetProperty("code").GetString());
        Assert.Equal("previous_response_id", details.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", details.GetProperty("type").GetString());
        Assert.Contains("store: false", details.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, gateway["up"].CallCount);
    }

    [Fact]
    public async Task FollowUp_StoreFalseNamingAStoredResponse_ContinuesAndKeepsNothingNew()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up") { ReplyText = FirstAnswer }]);

        using var first = await gateway.Http.PostAsync("/v1/responses", Body("chain", FirstQuestion));
        using var second = await gateway.Http.PostAsync(
            "/v1/responses", FollowUp("chain", IdOf(await first.Content.ReadAsStringAsync()), "What is my name?", extra: ",\"store\":false"));
        using var read = await gateway.Http.GetAsync($"/v1/responses/{IdOf(await second.Content.ReadAsStringAsync())}");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains(FirstQuestion, Encoding.UTF8.GetString(gateway["up"].Calls[^1].Body), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
    }

    [Fact]
    public async Task Delete_AnswersDeletedThenGetAndFollowUpFindNothing()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up") { ReplyText = FirstAnswer }]);
        using var created = await gateway.Http.PostAsync("/v1/responses", Body("chain", FirstQuestion));
        var id = IdOf(await created.Content.ReadAsStringAsync());

        using var deleted = await gateway.Http.DeleteAsync($"/v1/responses/{id}");
        using var deletedBody = JsonDocument.Parse(await deleted.Content.ReadAsStringAsync());
        using var read = await gateway.Http.GetAsync($"/v1/responses/{id}");
        using var readError = JsonDocument.Parse(await read.Content.ReadAsStringAsync());
        using var again = await gateway.Http.DeleteAsync($"/v1/responses/{id}");
        using var followUp = await gateway.Http.PostAsync("/v1/responses", FollowUp("chain", id, "What is my name?"));

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(id, deletedBody.RootElement.GetProperty("id").GetString());
        Assert.Equal("response", deletedBody.RootElement.GetProperty("object").GetString());
        Assert.True(deletedBody.RootElement.GetProperty("deleted").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Contains(id, readError.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, followUp.StatusCode);
    }

    [Fact]
    public async Task AnotherClient_CannotReadContinueOrDeleteIt()
    {
        const string KeyA = "sk-spill-client-a-0123456789";
        const string KeyB = "sk-spill-client-b-0123456789";
        await using var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("up") { ReplyText = FirstAnswer }],
            (_, config) => config with
            {
                Auth = config.Auth with { Clients = [new ClientKeyConfig("a", ClientKeyHash.Of(KeyA)), new ClientKeyConfig("b", ClientKeyHash.Of(KeyB))] },
            });

        using var created = await SendAsync(gateway, HttpMethod.Post, "/v1/responses", KeyA, Body("chain", FirstQuestion));
        var id = IdOf(await created.Content.ReadAsStringAsync());
        using var readByB = await SendAsync(gateway, HttpMethod.Get, $"/v1/responses/{id}", KeyB);
        using var followUpByB = await SendAsync(gateway, HttpMethod.Post, "/v1/responses", KeyB, FollowUp("chain", id, "What is my name?"));
        using var deleteByB = await SendAsync(gateway, HttpMethod.Delete, $"/v1/responses/{id}", KeyB);
        using var anonymous = await gateway.Http.GetAsync($"/v1/responses/{id}");
        using var readByA = await SendAsync(gateway, HttpMethod.Get, $"/v1/responses/{id}", KeyA);

        Assert.Equal(HttpStatusCode.NotFound, readByB.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, followUpByB.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deleteByB.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, readByA.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StoreFails_TheAnswerStillArrives_FollowUpGetAndDeleteAre503(bool stream)
    {
        using var data = new TempDirectory();
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up") { ReplyText = FirstAnswer }], dataDirectory: data.Path);
        using (var warmUp = await gateway.Http.PostAsync("/v1/responses", Body("chain", FirstQuestion)))
        {
            warmUp.EnsureSuccessStatusCode();
        }

        // The table goes away behind the gateway's back: every save and read now fails.
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(data.Path, SqliteLedgerStore.FileName)}"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE stored_responses;";
            await drop.ExecuteNonQueryAsync();
        }

        using var created = await gateway.Http.PostAsync("/v1/responses", Body("chain", FirstQuestion, stream));
        var text = await created.Content.ReadAsStringAsync();
        using var followUp = await gateway.Http.PostAsync("/v1/responses", FollowUp("chain", "resp_any", "What is my name?"));
        using var read = await gateway.Http.GetAsync("/v1/responses/resp_any");
        using var deleted = await gateway.Http.DeleteAsync("/v1/responses/resp_any");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains(stream ? "response.completed" : FirstAnswer, text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, followUp.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, read.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, deleted.StatusCode);
    }

    [Fact]
    public async Task InputItems_AFollowUp_ListsTheWholeConversationNewestFirstInPages()
    {
        await using var gateway = await TestGateway.StartAsync([new SimulatedProvider("up") { ReplyText = FirstAnswer }]);
        using var first = await gateway.Http.PostAsync("/v1/responses", Body("chain", FirstQuestion));
        using var second = await gateway.Http.PostAsync("/v1/responses", FollowUp("chain", IdOf(await first.Content.ReadAsStringAsync()), "What is my name?"));
        var id = IdOf(await second.Content.ReadAsStringAsync());

        using var newest = JsonDocument.Parse(await gateway.Http.GetStringAsync($"/v1/responses/{id}/input_items"));
        using var page = JsonDocument.Parse(await gateway.Http.GetStringAsync($"/v1/responses/{id}/input_items?order=asc&limit=2"));
        var lastId = page.RootElement.GetProperty("last_id").GetString();
        using var rest = JsonDocument.Parse(await gateway.Http.GetStringAsync($"/v1/responses/{id}/input_items?order=asc&limit=2&after={lastId}"));
        using var badLimit = await gateway.Http.GetAsync($"/v1/responses/{id}/input_items?limit=0");
        using var unknown = await gateway.Http.GetAsync("/v1/responses/resp_unknown/input_items");

        var items = newest.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal("list", newest.RootElement.GetProperty("object").GetString());
        Assert.Equal(["user", "assistant", "user"], items.Select(i => i.GetProperty("role").GetString()));
        Assert.Contains("What is my name?", items[0].GetRawText(), StringComparison.Ordinal);
        Assert.Contains(FirstAnswer, items[1].GetRawText(), StringComparison.Ordinal);
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.GetProperty("id").GetString())));
        Assert.False(newest.RootElement.GetProperty("has_more").GetBoolean());
        Assert.Equal(items[0].GetProperty("id").GetString(), newest.RootElement.GetProperty("first_id").GetString());
        Assert.True(page.RootElement.GetProperty("has_more").GetBoolean());
        Assert.Contains(FirstQuestion, page.RootElement.GetProperty("data")[0].GetRawText(), StringComparison.Ordinal);
        Assert.Equal(items[0].GetProperty("id").GetString(), Assert.Single(rest.RootElement.GetProperty("data").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task<HttpResponseMessage> SendAsync(TestGateway gateway, HttpMethod method, string path, string key, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await gateway.Http.SendAsync(request);
    }

    private static string IdOf(string responseJson) => JsonDocument.Parse(responseJson).RootElement.GetProperty("id").GetString()!;

    private static string IdOfStream(List<string> events) =>
        JsonDocument.Parse(events[^1]).RootElement.GetProperty("response").GetProperty("id").GetString()!;
}
