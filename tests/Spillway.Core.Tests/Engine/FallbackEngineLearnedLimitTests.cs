using System.Globalization;
using System.Net;
using Spillway.Core.Engine;
using Spillway.Core.Providers;
using static Spillway.Core.Tests.Engine.EngineHarness;

namespace Spillway.Core.Tests.Engine;

/// <summary>
/// A key whose per-minute limit nobody told (no config, no headers, a 429 that names none) learns it from its first
/// refusal: the calls it took in that minute. On the simulated clock, half an hour of steady traffic then meets the
/// provider's 429 about once, not once a minute.
/// </summary>
public sealed class FallbackEngineLearnedLimitTests
{
    [Fact]
    public async Task UnknownTenRpmKey_ThirtyMinutesOfSteadyTraffic_AtMostTwoCallsAnswered429()
    {
        using var harness = new EngineHarness();
        var a = Step(Provider("a"));
        var b = Step(Provider("b"));
        var provider = new SlidingMinuteLimit(harness, limit: 10);
        harness.Upstream.Default("a", provider.Answer);
        harness.Upstream.Default("b", () => Answers.Json(HttpStatusCode.OK, OpenAICompletion()));

        // One request every 3 s: 20 a minute, twice what the key takes.
        for (var i = 0; i < 600; i++)
        {
            await harness.ServeAsync(harness.Call(stream: false, a, b));
            harness.Time.Advance(TimeSpan.FromSeconds(3));
        }

        Assert.InRange(provider.Refused, 1, 2);

        // The key still carried about all it could: 10 a minute for 30 minutes.
        Assert.InRange(provider.Served, 280, 300);
        Assert.Contains(harness.Log.Records, r => r.Message.Contains("learned a limit of 10 requests a minute", StringComparison.Ordinal));
    }

    /// <summary>An upstream that takes 10 calls in any sliding minute and answers the rest with a 429 that states
    /// only when to retry (as hosts without rate-limit headers do).</summary>
    private sealed class SlidingMinuteLimit(EngineHarness harness, int limit)
    {
        private readonly Queue<DateTimeOffset> _taken = new();

        public int Served { get; private set; }

        public int Refused { get; private set; }

        public HttpResponseMessage Answer()
        {
            var now = harness.Time.GetUtcNow();
            while (_taken.Count > 0 && _taken.Peek() <= now - TimeSpan.FromMinutes(1))
            {
                _taken.Dequeue();
            }

            if (_taken.Count >= limit)
            {
                Refused++;
                var wait = (_taken.Peek() + TimeSpan.FromMinutes(1) - now).TotalSeconds;
                return Answers.Json(
                    HttpStatusCode.TooManyRequests,
                    """{"error":{"message":"Too many requests, please slow down.","type":"rate_limit_error"}}""",
                    ("retry-after", Math.Ceiling(wait).ToString(CultureInfo.InvariantCulture)));
            }

            _taken.Enqueue(now);
            Served++;
            return Answers.Json(HttpStatusCode.OK, OpenAICompletion());
        }
    }
}
