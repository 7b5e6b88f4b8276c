using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using OpenAI;
using OpenAI.Chat;
using Spillway.Core.Chat;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using Spillway.Simulator;
using Spillway.Tests.Support;

namespace Spillway.Tests.Routing;

/// <summary>
/// The sixteen-scenario fault suite: each scenario is one upstream misbehaviour, the gateway on loopback in front of
/// provider simulators speaking the real wire formats, and the official OpenAI client streaming the answer. A
/// scenario passes when the client gets the reference answer exactly (no missing, duplicated or foreign characters,
/// no exception), or, where no route can answer (S16), a clean typed error that says when to retry. Timeouts run on
/// the gateway's fake clock. The README's "Fault suite" table lists the scenarios and what each one proves.
/// </summary>
public sealed class FaultSuiteTests
{
    private const string Reference =
        "Rivers keep their banks by giving way a little everywhere, and the spillway takes what the banks cannot hold.";

    private static readonly DateTimeOffset Start = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task S01_RateLimitedWithRetryAfter_BackupAnswersAndThePrimaryIsNotAskedAgainBeforeTheWaitEnds()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("primary", SimulatorStyle.Groq) { ReplyText = Reference });
        gateway["primary"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(30)));

        Assert.Equal(Reference, await StreamTextAsync(gateway));
        Assert.Equal(Reference, await StreamTextAsync(gateway));

        Assert.Equal(1, gateway["primary"].CallCount);
        Assert.Equal(["skipped_cooldown", "ok"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task S02_RateLimitedWithoutAWait_OpenRoutersUpstream429_BackupAnswers()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("primary", SimulatorStyle.OpenRouter) { ReplyText = Reference });
        gateway["primary"].Enqueue(SimulatedFault.UpstreamRateLimited());

        Assert.Equal(Reference, await StreamTextAsync(gateway));

        Assert.Equal(["rate_limited", "ok"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task S03_DailyQuotaExhausted_BackupAnswersAndTheSpentKeyIsSkippedUntilItsReset()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("primary", SimulatorStyle.GeminiNative) { ReplyText = Reference });
        gateway["primary"].Enqueue(SimulatedFault.QuotaExhausted());

        Assert.Equal(Reference, await StreamTextAsync(gateway));
        Assert.Equal(Reference, await StreamTextAsync(gateway));

        Assert.Equal(1, gateway["primary"].CallCount);
        Assert.Equal(["skipped_cooldown", "ok"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task S04_ServerErrorOnce_TheAnswerStillArrivesWhole()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("primary", SimulatorStyle.Mistral) { ReplyText = Reference });
        gateway["primary"].Enqueue(SimulatedFault.ServerError());

        Assert.Equal(Reference, await StreamTextAsync(gateway));

        Assert.Equal(["server_error", "ok"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task S05_Overloaded_AnthropicsOverloadedAnswer_BackupAnswers()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("primary", SimulatorStyle.Anthropic) { ReplyText = Reference });
        gateway["primary"].Enqueue(SimulatedFault.Overloaded());

        Assert.Equal(Reference, await StreamTextAsync(gateway));

        Assert.Equal(["overloaded", "ok"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task S06_ConnectionRefused_BackupAnswers()
    {
        await using var gateway = await StartAsync(
            new SimulatedProvider("primary") { ReplyText = Reference },
            configure: config => config with
            {
                Providers = [config.Providers[0] with { BaseUrl = new Uri(LoopbackPorts.ClosedUrl() + "/v1") }, config.Providers[1]],
            });

        Assert.Equal(Reference, await StreamTextAsync(gateway));

        Assert.Equal(["connection_failed", "ok"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task S07_NoResponseHeaders_TheFirstTokenTimeoutPassesOnTheGatewaysClockAndTheBackupAnswers()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await StartAsync(new SimulatedProvider("primary") { ReplyText = Reference }, time: time);
        gateway["primary"].Enqueue(SimulatedFault.HangBeforeHeaders());

        var streaming = StreamTextAsync(gateway);
        await WhenAsync(() => gateway["primary"].CallCount == 1);
        time.Advance(gateway.Config.Timeouts.FirstToken);

        Assert.Equal(Reference, await streaming);
        Assert.Equal(["timeout", "ok"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task S08_StreamCutMidAnswer_ContinuesOnTheBackup()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("primary") { ReplyText = Reference });
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(5));

        Assert.Equal(Reference, await StreamTextAsync(gateway));

        Assert.Equal(["connection_failed", "ok"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task S09_StreamStallsMidAnswer_ContinuesOnTheBackupOnceTheIdleLimitPasses()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await StartAsync(new SimulatedProvider("primary") { ReplyText = Reference }, time: time);
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(4, MidStreamFailure.Stall));

        // The primary goes silent after its fourth piece: the idle limit passes on the gateway's clock.
        var text = await StreamTextAsync(gateway, afterPiece: pieces =>
        {
            if (pieces == 4)
            {
                time.Advance(gateway.Config.Timeouts.IdleStream);
            }
        });

        Assert.Equal(Reference, text);
        Assert.Equal(["timeout", "ok"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task S10_InBandErrorMidAnswer_ContinuesOnTheBackup()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("primary", SimulatorStyle.OpenRouter) { ReplyText = Reference });
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(3, MidStreamFailure.ErrorChunk));

        Assert.Equal(Reference, await StreamTextAsync(gateway));

        Assert.Equal("ok", (await OutcomesAsync(gateway))[^1]);
        Assert.Equal(1, gateway["backup"].CallCount);
    }

    [Fact]
    public async Task S11_MalformedEventBeforeAnyText_NothingOfItReachesTheClientAndTheAnswerIsWhole()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("primary") { ReplyText = Reference });
        gateway["primary"].Enqueue(SimulatedFault.MalformedEvent());

        Assert.Equal(Reference, await StreamTextAsync(gateway));
    }

    [Fact]
    public async Task S12_KeyRejected_BackupAnswersAndTheRejectedKeyIsNotTriedAgain()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("primary", SimulatorStyle.Mistral) { ReplyText = Reference });
        gateway["primary"].Enqueue(SimulatedFault.Unauthorized());

        Assert.Equal(Reference, await StreamTextAsync(gateway));
        Assert.Equal(Reference, await StreamTextAsync(gateway));

        Assert.Equal(1, gateway["primary"].CallCount);
    }

    [Fact]
    public async Task S13_ModelGone_BackupAnswers()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("primary", SimulatorStyle.Groq) { ReplyText = Reference });
        gateway["primary"].Enqueue(SimulatedFault.ModelNotFound());

        Assert.Equal(Reference, await StreamTextAsync(gateway));

        Assert.Equal(["model_unavailable", "ok"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task S14_StreamCutAndTheBackupRefusesThePrefill_RegeneratedAndSpliced()
    {
        await using var gateway = await StartAsync(
            new SimulatedProvider("primary") { ReplyText = Reference },
            new SimulatedProvider("backup", SimulatorStyle.Anthropic) { ReplyText = Reference, PrefillHandling = PrefillHandling.Refuse });
        gateway["primary"].Enqueue(SimulatedFault.FailMidStream(4));

        Assert.Equal(Reference, await StreamTextAsync(gateway));

        Assert.Equal(["connection_failed", "caller_fault", "ok"], await OutcomesAsync(gateway));
    }

    [Fact]
    public async Task S15_PrimaryDownTwelveSecondsThenHealthy_EveryRequestAnsweredAndThePrimaryBackWithinFifteenSeconds()
    {
        var time = new FakeTimeProvider(Start);
        await using var gateway = await StartAsync(new SimulatedProvider("primary") { ReplyText = Reference }, time: time);
        var recovered = Start.AddSeconds(12);
        DateTimeOffset? backOnPrimary = null;
        for (var i = 0; i < 40 && backOnPrimary is null; i++)
        {
            var down = time.GetUtcNow() < recovered;
            gateway["primary"].Reset();
            if (down)
            {
                gateway["primary"].EnqueueMany(Enumerable.Repeat(SimulatedFault.Overloaded(), 3));
            }

            Assert.Equal(Reference, await StreamTextAsync(gateway));
            if (!down && (await gateway.LedgerAsync(1))[0].GetProperty("route").GetString() == "primary/gpt-4o-mini")
            {
                backOnPrimary = time.GetUtcNow();
            }

            time.Advance(TimeSpan.FromSeconds(1.5));
        }

        Assert.NotNull(backOnPrimary);
        Assert.InRange(backOnPrimary.Value - recovered, TimeSpan.Zero, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task S16_EveryRouteRateLimited_TheClientGetsA429WithRetryAfterAndTheNextRequestCostsNoUpstreamCall()
    {
        await using var gateway = await StartAsync(new SimulatedProvider("primary", SimulatorStyle.Groq) { ReplyText = Reference });
        gateway["primary"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(20)));
        gateway["backup"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(40)));

        var first = await Assert.ThrowsAsync<ClientResultException>(() => StreamTextAsync(gateway));
        var second = await Assert.ThrowsAsync<ClientResultException>(() => StreamTextAsync(gateway));

        Assert.Equal((int)HttpStatusCode.TooManyRequests, first.Status);
        Assert.Equal("20", first.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var wait) ? wait : null);
        Assert.Equal((int)HttpStatusCode.TooManyRequests, second.Status);
        Assert.Equal(1, gateway["primary"].CallCount);
        Assert.Equal(1, gateway["backup"].CallCount);
    }

    /// <summary>A gateway whose alias "chain" tries <paramref name="primary"/>, then a plain OpenAI-format backup (or <paramref name="backup"/>).</summary>
    private static Task<TestGateway> StartAsync(
        SimulatedProvider primary,
        SimulatedProvider? backup = null,
        Func<SpillwayConfig, SpillwayConfig>? configure = null,
        TimeProvider? time = null) =>
        TestGateway.StartAsync(
            [primary, backup ?? new SimulatedProvider("backup", SimulatorStyle.Groq) { ReplyText = Reference }],
            configure: (_, config) => configure?.Invoke(config) ?? config,
            time: time);

    /// <summary>The text the official client read; <paramref name="afterPiece"/> sees the count of text pieces so far.</summary>
    private static async Task<string> StreamTextAsync(TestGateway gateway, Action<int>? afterPiece = null)
    {
        var client = new ChatClient("chain", new ApiKeyCredential("not-needed-on-loopback"), new OpenAIClientOptions
        {
            Endpoint = new Uri(gateway.Address, "/v1"),
            NetworkTimeout = TimeSpan.FromSeconds(60),
            RetryPolicy = new ClientRetryPolicy(0),
        });
        var text = new StringBuilder();
        var pieces = 0;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Tell me about rivers.")]))
        {
            foreach (var part in update.ContentUpdate.Where(p => !string.IsNullOrEmpty(p.Text)))
            {
                text.Append(part.Text);
                afterPiece?.Invoke(++pieces);
            }
        }

        return text.ToString();
    }

    private static async Task<string[]> OutcomesAsync(TestGateway gateway)
    {
        var entry = (await gateway.LedgerAsync(1))[0];
        return [.. entry.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("outcome").GetString()!)];
    }

    /// <summary>Waits for something the gateway does on its own (a call reaching the simulator); no deadline races it.</summary>
    private static async Task WhenAsync(Func<bool> condition)
    {
        while (!condition())
        {
            await Task.Delay(10);
        }
    }
}
