using System.Net;
using Spillway.Core.Chat;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>
/// An upstream's refusal that no other route can change (a content policy, a request the upstream calls invalid)
/// ends the request: the client gets it in its own format, with the type its format gives that kind and status.
/// </summary>
public sealed class StoppingFaultAnswerTests
{
    private const string Refusal =
        """{"error":{"message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error","code":"content_policy_violation"}}""";

    private const string Invalid = """{"error":{"message":"Bad request body.","type":"invalid_request_error"}}""";

    [Theory]
    [InlineData(400, Refusal, """{"error":{"message":"up: refused by content policy - Your request was rejected as a result of our safety system.","type":"content_policy_violation","param":null,"code":"content_refused"}}""")]
    [InlineData(403, Refusal, """{"error":{"message":"up: refused by content policy - Your request was rejected as a result of our safety system.","type":"content_policy_violation","param":null,"code":"content_refused"}}""")]
    [InlineData(413, Invalid, """{"error":{"message":"up: request too large (413) - Bad request body.","type":"invalid_request_error","param":null,"code":"caller_fault"}}""")]
    [InlineData(422, Invalid, """{"error":{"message":"up: invalid request (422) - Bad request body.","type":"invalid_request_error","param":null,"code":"caller_fault"}}""")]
    public async Task ChatCompletions_UpstreamRefusesOrCallsItInvalid_OpenAIErrorWithItsStatus(int status, string upstreamBody, string expected)
    {
        await using var up = new LoopbackUpstream(LoopbackUpstream.Answer(status, upstreamBody));
        await using var gateway = await StartAsync(up);

        using var response = await gateway.ChatAsync("up/gpt-4o-mini");

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(400, Refusal, """{"type":"error","error":{"type":"invalid_request_error","message":"up: refused by content policy - Your request was rejected as a result of our safety system."}}""")]
    [InlineData(403, Refusal, """{"type":"error","error":{"type":"permission_error","message":"up: refused by content policy - Your request was rejected as a result of our safety system."}}""")]
    [InlineData(413, Invalid, """{"type":"error","error":{"type":"request_too_large","message":"up: request too large (413) - Bad request body."}}""")]
    [InlineData(422, Invalid, """{"type":"error","error":{"type":"invalid_request_error","message":"up: invalid request (422) - Bad request body."}}""")]
    public async Task Messages_UpstreamRefusesOrCallsItInvalid_AnthropicErrorOfItsStatus(int status, string upstreamBody, string expected)
    {
        await using var up = new LoopbackUpstream(LoopbackUpstream.Answer(status, upstreamBody));
        await using var gateway = await StartAsync(up);

        using var response = await gateway.MessagesAsync("up/gpt-4o-mini");

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    private static Task<TestGateway> StartAsync(LoopbackUpstream up) =>
        TestGateway.StartAsync(
            [new SimulatedProvider("openai")],
            (_, config) => config with { Providers = [Provider(up), .. config.Providers] });

    private static ProviderConfig Provider(LoopbackUpstream up) => new()
    {
        Id = "up",
        Format = WireFormat.OpenAI,
        Auth = AuthStyle.Bearer,
        BaseUrl = up.BaseUrl,
        Keys = [new KeyConfig("up-key", new Secret("plainkeyvalue0123"), KeyTier.Free, KeyLimits.Unknown)],
        Models = ["gpt-4o-mini"],
    };
}
