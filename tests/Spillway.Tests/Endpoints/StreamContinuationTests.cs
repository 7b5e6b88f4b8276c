using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OpenAI;
using OpenAI.Chat;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary>
/// The fault scenarios where a stream breaks after the client had part of the answer (failoverbench S08 cut, S09
/// stall, S14 prefill refused), end to end: the gateway on loopback, simulators speaking each provider's wire format,
/// and the official OpenAI client reading the stream. The client's text must be the reference answer exactly.
/// </summary>
public sealed class StreamContinuationTests
{
    private const string Reference =
        "The quick brown fox jumps over the lazy dog, and then the dog, rested at last, chases the fox back home.";

    private static ChatClient ClientFor(TestGateway gateway) =>
        new("chain", new ApiKeyCredential("not-needed-on-loopback"), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.Address, "/v1"),
            NetworkTimeout = TimeSpan.FromSeconds(30),
            RetryPolicy = new ClientRetryPolicy(0),
        });

    [Fact]
    public async Task S08_StreamCutMidAnswer_TheOpenAIClientGetsTheWholeReferenceTextFromTheAnthropicFallback()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("primary") { ReplyText = Reference },
            new SimulatedProvider("backup", SimulatorStyle.Anthropic) { ReplyText = Reference },
        ]);
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(5));

        var text = await StreamTextAsync(gateway);

        Assert.Equal(Reference, text);
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(["connection_failed", "ok"], Outcomes(entry));
        Assert.Equal("continued on backup/claude-haiku-4-5 after 25 chars (prefill)", entry.GetProperty("attempts")[1].GetProperty("detail").GetString());
        // The continuation was asked to go on from the text the client had, as Anthropic's own assistant turn.
        Assert.Contains("\"role\":\"assistant\"", Encoding.UTF8.GetString(gateway["backup"].Calls[^1].Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task S09_StreamStallsMidAnswer_ContinuesAfterTheIdleLimitWithTheWholeReferenceText()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("primary") { ReplyText = Reference },
            new SimulatedProvider("backup", SimulatorStyle.Groq) { ReplyText = Reference },
        ], configure: (_, config) => config with
        {
            Providers = [config.Providers[0], config.Providers[1] with { Prefill = AssistantPrefill.Message }],
        }, time: time);
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(3, MidStreamFailure.Stall));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = TestGateway.ChatBody("chain", stream: true) };
        using var response = await gateway.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var text = new StringBuilder();
        var pieces = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }

            var piece = ContentOf(line["data: ".Length..]);
            text.Append(piece);
            if (piece.Length > 0 && ++pieces == 3)
            {
                // The primary has gone silent after its third piece: the idle limit passes on the gateway's clock.
                time.Advance(TimeSpan.FromSeconds(30));
            }
        }

        Assert.Equal(Reference, text.ToString());
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(["timeout", "ok"], Outcomes(entry));
    }

    [Fact]
    public async Task S14_FallbackRefusesThePrefill_RegeneratesSplicesAndTheClientGetsTheReferenceText()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("primary") { ReplyText = Reference },
            new SimulatedProvider("backup", SimulatorStyle.Anthropic) { ReplyText = Reference, PrefillHandling = PrefillHandling.Refuse },
        ]);
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(4));

        var text = await StreamTextAsync(gateway);

        Assert.Equal(Reference, text);
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(["connection_failed", "caller_fault", "ok"], Outcomes(entry));
        Assert.Contains("regenerated and spliced", entry.GetProperty("attempts")[2].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task S14_RefusedAndTheRegeneratedAnswerDiffers_EndsWithTheFirstFailureNamedNotTheRefusal()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("primary") { ReplyText = Reference },
            new SimulatedProvider("backup", SimulatorStyle.Anthropic) { ReplyText = "A different answer altogether.", PrefillHandling = PrefillHandling.Refuse },
        ]);
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(4));

        using var response = await gateway.ChatAsync("chain", stream: true);
        var events = await Sse.DataOfAsync(response);

        Assert.Equal("The quick brown fox", string.Concat(events.Where(e => e.StartsWith("{\"id\"", StringComparison.Ordinal)).Select(ContentOf)));
        var error = events[^1];
        Assert.Contains("the answer above is incomplete", error, StringComparison.Ordinal);
        Assert.Contains("the stream broke", error, StringComparison.Ordinal);
        Assert.DoesNotContain("prefill", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("[DONE]", events);
        var entry = (await gateway.LedgerAsync(1))[0];
        Assert.Equal(["connection_failed", "caller_fault", "continuation_mismatch"], Outcomes(entry));
    }

    [Fact]
    public async Task AnthropicDoor_StreamCutMidBlock_TheClientGetsOneMessageWithTheReferenceText()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("primary", SimulatorStyle.Anthropic) { ReplyText = Reference },
            new SimulatedProvider("backup", SimulatorStyle.GeminiNative) { ReplyText = Reference },
        ]);
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(6));

        using var response = await gateway.MessagesAsync("chain", stream: true);
        var raw = await response.Content.ReadAsStringAsync();
        var events = await Sse.DataOfAsync(response);

        Assert.Equal(1, Count(raw, "event: message_start"));
        Assert.Equal(1, Count(raw, "event: content_block_start"));
        Assert.Equal(1, Count(raw, "event: message_stop"));
        Assert.DoesNotContain("event: error", raw, StringComparison.Ordinal);
        var text = string.Concat(events
            .Select(e => JsonDocument.Parse(e).RootElement)
            .Where(e => e.GetProperty("type").GetString() == "content_block_delta")
            .Select(e => e.GetProperty("delta").GetProperty("text").GetString()));
        Assert.Equal(Reference, text);
    }

    [Fact]
    public async Task OnStreamFailureError_TheAliasKeepsTheInBandErrorAndNeverCallsTheFallback()
    {
        await using var gateway = await TestGateway.StartAsync(
        [
            new SimulatedProvider("primary") { ReplyText = Reference },
            new SimulatedProvider("backup", SimulatorStyle.Anthropic) { ReplyText = Reference },
        ], configure: (_, config) => config with
        {
            Models = [config.Models[0] with { OnStreamFailure = Core.Configuration.StreamFailureMode.Error }],
        });
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(4));

        using var response = await gateway.ChatAsync("chain", stream: true);
        var events = await Sse.DataOfAsync(response);

        Assert.Contains("the answer above is incomplete", events[^1], StringComparison.Ordinal);
        Assert.Equal(0, gateway["backup"].CallCount);
    }

    private static async Task<string> StreamTextAsync(TestGateway gateway)
    {
        var text = new StringBuilder();
        await foreach (var update in ClientFor(gateway).CompleteChatStreamingAsync([new UserChatMessage("Tell me about the fox.")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        return text.ToString();
    }

    private static string ContentOf(string data)
    {
        using var chunk = JsonDocument.Parse(data);
        var choices = chunk.RootElement.GetProperty("choices");
        return choices.GetArrayLength() > 0 && choices[0].GetProperty("delta").TryGetProperty("content", out var content)
            ? content.GetString() ?? ""
            : "";
    }

    private static List<string?> Outcomes(JsonElement entry) =>
        [.. entry.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString())];

    private static int Count(string text, string what) =>
        (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
