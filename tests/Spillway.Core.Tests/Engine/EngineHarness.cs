using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Spillway.Core.Budgets;
using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.Gemini;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Codecs.Responses;
using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Ledger;
using Spillway.Core.Planning;
using Spillway.Core.Pricing;
using Spillway.Core.Providers;
using Spillway.Core.Tests.Ledger;
using Spillway.TestSupport;

namespace Spillway.Core.Tests.Engine;

/// <summary>
/// A <see cref="FallbackEngine"/> built directly, everything in memory: the real <see cref="UpstreamClient"/> over
/// <see cref="FakeUpstream"/>, a fake clock (<see cref="WatchedTimeProvider"/>), the ledger as a list. Every
/// engine test builds its engine here and nowhere else.
/// </summary>
internal sealed class EngineHarness : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>The client with a budget in <see cref="Call"/>.</summary>
    public const string ClientId = "team";

    private readonly MemoryLedgerSink _ledger = new();
    private readonly UpstreamClient _client;

    /// <param name="breaker">The routes' breaker; by default it needs 5 failures, as configured by default.</param>
    /// <param name="options">The engine's knobs.</param>
    /// <param name="prices">List prices (USD per million tokens) for paid routes.</param>
    public EngineHarness(BreakerConfig? breaker = null, EngineOptions? options = null, params PriceOverride[] prices)
    {
        Budgets = new BudgetBook(Time);
        Health = new RouteHealth(breaker ?? BreakerConfig.Default, Time);
        var config = new SpillwayConfig { Pricing = [.. prices] };
        _client = new UpstreamClient(new HttpMessageInvoker(Upstream), ownsInvoker: true);
        Engine = new FallbackEngine(
            _client,
            Keys,
            Quotas,
            Budgets,
            _ledger,
            new CostCalculator(() => config, new PriceBooks(null), new ListLogger<CostCalculator>()),
            Time,
            Log,
            options ?? new EngineOptions(),
            [new OpenAIUpstreamProtocol(), new AnthropicUpstreamProtocol(), new GeminiUpstreamProtocol(), new ResponsesUpstreamProtocol()],
            Health);
    }

    public WatchedTimeProvider Time { get; } = new(Start);

    public FakeUpstream Upstream { get; } = new();

    public InMemoryKeyStateStore Keys { get; } = new();

    public QuotaBook Quotas { get; } = new();

    public BudgetBook Budgets { get; }

    public RouteHealth Health { get; }

    public ListLogger<FallbackEngine> Log { get; } = new();

    public FallbackEngine Engine { get; }

    /// <summary>The timeouts of every call made with <see cref="Call"/>.</summary>
    public TimeoutsConfig Timeouts { get; set; } = TimeoutsConfig.Default;

    /// <summary>What the calls' plans do with a stream that breaks after the client had part of it.</summary>
    public StreamFailureMode OnStreamFailure { get; set; } = StreamFailureMode.Continue;

    /// <summary>The ledger entries, oldest first.</summary>
    public IReadOnlyList<LedgerEntry> Ledger => [.. _ledger.Entries];

    /// <summary>The newest ledger entry's attempt outcomes.</summary>
    public List<string> Outcomes() => [.. Ledger[^1].Attempts.Select(a => a.Outcome)];

    /// <summary>A provider with one key, answering on <c>https://{id}.test</c>.</summary>
    public static ProviderConfig Provider(
        string id,
        WireFormat format = WireFormat.OpenAI,
        KeyTier tier = KeyTier.Free,
        KeyLimits? limits = null,
        TimeoutsConfig? timeouts = null,
        AssistantPrefill? prefill = null) => new()
    {
        Prefill = prefill ?? ProviderConfig.DefaultPrefill(format),
        Id = id,
        Format = format,
        BaseUrl = new Uri($"https://{id}.test/v1"),
        Auth = format == WireFormat.Anthropic ? AuthStyle.XApiKey : AuthStyle.Bearer,
        Keys = [new KeyConfig(id + "-key", new Secret("sk-" + id + "-0123456789abcdef"), tier, limits ?? KeyLimits.Unknown)],
        Timeouts = timeouts,
    };

    public static RouteStep Step(ProviderConfig provider, string model = "m") => new(provider, model, provider.Keys[0]);

    /// <summary>A request from an OpenAI or Anthropic client over <paramref name="steps"/>, in that order.</summary>
    public ChatCall Call(IClientFormat client, bool stream, ClientBudget? budget, params RouteStep[] steps)
    {
        var streamField = stream ? "true" : "false";
        var body = Encoding.UTF8.GetBytes(client is AnthropicClientFormat
            ? $$"""{"model":"chain","max_tokens":40,"messages":[{"role":"user","content":"Hi"}],"stream":{{streamField}}}"""
            : $$"""{"model":"chain","max_tokens":40,"messages":[{"role":"user","content":"Hi"}],"stream":{{streamField}}}""");
        var inbound = client is AnthropicClientFormat
            ? new InboundRequest
            {
                Client = client,
                Body = body,
                Stream = stream,
                Decoded = AnthropicRequestDecoder.Decode(body).Value,
                ReceivedAt = Time.GetUtcNow(),
            }
            : new InboundRequest
            {
                Client = client,
                Body = body,
                Stream = stream,
                Sniff = OpenAIRequestSniffer.Sniff(body),
                ReceivedAt = Time.GetUtcNow(),
            };
        return new ChatCall
        {
            RequestId = "req-" + Guid.NewGuid().ToString("N"),
            Inbound = inbound,
            RequestedModel = "chain",
            Plan = new RoutePlan([.. steps], []) { OnStreamFailure = OnStreamFailure },
            Timeouts = Timeouts,
            ClientId = budget?.ClientId,
            Budget = budget,
            ReceivedTimestamp = Time.GetTimestamp(),
        };
    }

    /// <summary>An OpenAI client's request over <paramref name="steps"/>.</summary>
    public ChatCall Call(bool stream, params RouteStep[] steps) => Call(OpenAIClientFormat.Instance, stream, null, steps);

    /// <summary>Serves <paramref name="call"/> to the end.</summary>
    public async Task<MemoryClientResponse> ServeAsync(ChatCall call)
    {
        var (served, response) = Begin(call);
        await served;
        return response;
    }

    /// <summary>Starts serving <paramref name="call"/>; the test drives the clock and the upstreams while it runs.</summary>
    public (Task Served, MemoryClientResponse Response) Begin(ChatCall call, CancellationToken aborted = default)
    {
        var response = new MemoryClientResponse();
        return (Engine.ExecuteAsync(call, response, aborted), response);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>OpenAI's recorded streamed answer, one SSE event per item (ends with <c>[DONE]</c>).</summary>
    public static List<string> OpenAIStream() => SseEvents("openai-chat-stream-text.sse");

    /// <summary>Anthropic's recorded streamed answer, one SSE event per item.</summary>
    public static List<string> AnthropicStream() => SseEvents("anthropic-messages-stream-text.sse");

    /// <summary>OpenAI's recorded non-streamed answer body.</summary>
    public static string OpenAICompletion()
    {
        var recorded = Fixtures.ReadText("openai-chat-completion-200-with-ratelimit-headers.txt").ReplaceLineEndings("\n");
        return recorded[(recorded.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
    }

    private static List<string> SseEvents(string fixture) =>
        [.. Fixtures.ReadText(fixture).ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private sealed class MemoryLedgerSink : ILedgerSink
    {
        public ConcurrentQueue<LedgerEntry> Entries { get; } = new();

        public void Enqueue(LedgerEntry entry) => Entries.Enqueue(entry);
    }
}

/// <summary>A fake clock that also tells when a timer of a given due time was made (the engine's short wait).</summary>
internal sealed class WatchedTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly List<(TimeSpan Due, TaskCompletionSource Made)> _waiters = [];
    private readonly List<TimeSpan> _made = [];

    /// <summary>Completes once a timer due after <paramref name="due"/> has been made.</summary>
    public Task TimerMade(TimeSpan due)
    {
        lock (_made)
        {
            if (_made.Contains(due))
            {
                return Task.CompletedTask;
            }

            var made = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((due, made));
            return made.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_made)
        {
            _made.Add(dueTime);
            foreach (var waiter in _waiters.Where(w => w.Due == dueTime).ToList())
            {
                waiter.Made.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        return timer;
    }
}
