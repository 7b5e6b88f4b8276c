using System.Text;
using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.Codecs.Responses;
using Spillway.Core.Ledger;

namespace Spillway.Core.Tests.Codecs.Responses;

public sealed class ResponsesConversationTests
{
    private const string FirstResponse = """
        {"id":"resp_1","object":"response","status":"completed","output":[
          {"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"Thinking."}]},
          {"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello Ada.","annotations":[]}]},
          {"id":"fc_1","type":"function_call","status":"completed","call_id":"call_1","name":"lookup","arguments":"{\"q\":\"Ada\"}"}]}
        """;

    private static StoredResponse Stored(string inputItems, string response = FirstResponse) =>
        new("resp_1", "", DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes(response), Encoding.UTF8.GetBytes(inputItems));

    [Fact]
    public void History_InputItemsThenOutputItems_InOrder()
    {
        var history = ResponsesConversation.History(Stored("""[{"type":"message","role":"user","content":"Hi, I am Ada."}]"""));

        using var items = JsonDocument.Parse(history);
        Assert.Equal(
            ["message", "reasoning", "message", "function_call"],
            items.RootElement.EnumerateArray().Select(i => i.GetProperty("type").GetString()));
    }

    [Fact]
    public void InputItems_StringInput_OneUserMessageAfterTheHistory()
    {
        var items = ResponsesConversation.InputItems(
            """[{"type":"message","role":"user","content":"Earlier"}]"""u8, Encoding.UTF8.GetBytes("""{"model":"m","input":"Now \"quoted\""}"""));

        using var document = JsonDocument.Parse(items);
        var all = document.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, all.Count);
        Assert.Equal("user", all[1].GetProperty("role").GetString());
        Assert.Equal("Now \"quoted\"", all[1].GetProperty("content")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void InputItems_ArrayInputAndNoHistory_TheItemsAsSent()
    {
        const string Input = """[{"role":"developer","content":"Be brief."},{"type":"function_call_output","call_id":"c","output":"42"}]""";

        var items = ResponsesConversation.InputItems([], Encoding.UTF8.GetBytes($$"""{"model":"m","input":{{Input}}}"""));

        Assert.Equal(Input, Encoding.UTF8.GetString(items));
    }

    [Fact]
    public void Decode_WithHistory_TheStoredTurnsComeFirstAndPreviousResponseIdIsNoLongerMustHonor()
    {
        var history = ResponsesConversation.History(Stored("""[{"type":"message","role":"user","content":[{"type":"input_text","text":"Hi, I am Ada."}]}]"""));
        var body = Encoding.UTF8.GetBytes("""{"model":"m","input":"Who am I?","previous_response_id":"resp_1","instructions":"Be kind."}""");

        var request = ResponsesRequestDecoder.Decode(body, history).Value.Chat;

        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.User], request.Messages.Select(m => m.Role));
        Assert.Equal(new TextPart("Hello Ada."), request.Messages[1].Content[0]);
        Assert.IsType<ToolCallPart>(request.Messages[1].Content[1]);
        Assert.Equal(new TextPart("Be kind."), Assert.Single(request.System));
        var previous = Assert.Single(request.Extensions.Items, x => x.Name == "previous_response_id");
        Assert.False(previous.MustHonor);
    }

    [Fact]
    public void Decode_WithoutHistory_PreviousResponseIdMustBeHonored()
    {
        var request = ResponsesRequestDecoder.Decode(Encoding.UTF8.GetBytes("""{"model":"m","input":"Who am I?","previous_response_id":"resp_1"}""")).Value;

        Assert.Equal("resp_1", request.PreviousResponseId);
        Assert.True(Assert.Single(request.Chat.Extensions.Items, x => x.Name == "previous_response_id").MustHonor);
    }

    [Fact]
    public void IdOf_AResponseObject_ItsId() =>
        Assert.Equal("resp_1", ResponsesConversation.IdOf(Encoding.UTF8.GetBytes(FirstResponse)));

    [Fact]
    public void PreviousNotFound_OpenAIsCodeAndParam_AndSaysWhyItMayBeMissing()
    {
        var error = ResponsesConversation.PreviousNotFound("resp_x");

        Assert.Equal((400, "previous_response_not_found", "previous_response_id"), (error.Status, error.Code, error.Param));
        Assert.Contains("'resp_x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("store: false", error.Message, StringComparison.Ordinal);
    }
}
