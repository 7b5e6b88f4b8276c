namespace Spillway.Simulator;

/// <summary>
/// One SIMULATED LLM provider served by a <see cref="ProviderSimulator"/>: a scriptable test tool and the engine of
/// <c>spillway serve --demo</c>, never a real model. It speaks the wire format, error bodies and rate-limit
/// headers of the real vendor chosen by <see cref="Style"/> (OpenAI chat completions, Anthropic Messages, Gemini native), can play a free
/// tier (<see cref="RequestsPerMinute"/>, <see cref="RequestsPerDay"/>, counted per API key) and answers the
/// next calls with scripted faults (<see cref="Enqueue"/>). Every answer carries the header
/// <c>x-simulator: spillway-simulator</c>. All members are thread-safe; settings may change while serving.
/// </summary>
public sealed class SimulatedProvider
{
    private readonly Lock _gate = new();
    private readonly Queue<SimulatedFault> _script = new();
    private readonly List<RecordedCall> _calls = [];
    private IReadOnlyList<string> _models = [];
    private string _replyText;
    private int? _requestsPerMinute;
    private int? _requestsPerDay;
    private TimeSpan _streamEventDelay;
    private SimulatedToolCall? _toolCall;
    private bool _ignoresTools;
    private PrefillHandling _prefill;
    private int _modelListCount;
    private byte[]? _modelListBody;

    /// <summary>Creates a simulated provider.</summary>
    /// <param name="name">The URL segment: the provider is served under <c>/{name}/v1</c>. Letters, digits, '-', '_' and '.'.</param>
    /// <param name="style">Which real vendor's errors and headers to imitate.</param>
    public SimulatedProvider(string name, SimulatorStyle style = SimulatorStyle.OpenAI)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"'{name}' cannot be a URL segment: use letters, digits, '-', '_' and '.'.", nameof(name));
        }

        if (!Enum.IsDefined(style))
        {
            throw new ArgumentOutOfRangeException(nameof(style), style, "Unknown simulator style.");
        }

        Name = name;
        Style = style;
        _prefill = style is SimulatorStyle.OpenAI or SimulatorStyle.OpenAIResponses ? PrefillHandling.AnswerAfresh : PrefillHandling.Continue;
        _replyText = $"Hello from the simulated {name} provider (Spillway demo — not a real model).";
    }

    /// <summary>The provider's name, which is also its URL segment.</summary>
    public string Name { get; }

    /// <summary>Which real vendor's error bodies and rate-limit headers are imitated.</summary>
    public SimulatorStyle Style { get; }

    /// <summary>
    /// The models listed by <c>GET /models</c>. When not empty, a chat call for any other model is answered
    /// with the style's real "model not found" error; when empty (the default) every model is accepted.
    /// </summary>
    public IReadOnlyList<string> Models
    {
        get { lock (_gate) { return _models; } }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var copy = value.ToArray();
            lock (_gate) { _models = copy; }
        }
    }

    /// <summary>
    /// When set, <c>GET /models</c> answers exactly these bytes as JSON (a recorded catalog such as
    /// fixtures/openrouter-models-api-response-2025-12.json, or a broken one) instead of a list built from
    /// <see cref="Models"/>; chat calls are still checked against <see cref="Models"/> only.
    /// </summary>
    public byte[]? ModelListBody
    {
        get { lock (_gate) { return _modelListBody; } }
        set { lock (_gate) { _modelListBody = value?.ToArray(); } }
    }

    /// <summary>The assistant's answer text. The default says plainly that this is a simulated provider.</summary>
    public string ReplyText
    {
        get { lock (_gate) { return _replyText; } }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_gate) { _replyText = value; }
        }
    }

    /// <summary>
    /// When set, every answer that calls a tool calls this one with these arguments, whichever tools were offered;
    /// null (the default) calls the first offered tool with arguments made from its schema. It does not change
    /// when the simulator calls a tool (tools offered, last message not a tool result, or a forced choice).
    /// </summary>
    public SimulatedToolCall? ToolCall
    {
        get { lock (_gate) { return _toolCall; } }
        set { lock (_gate) { _toolCall = value; } }
    }

    /// <summary>
    /// When true, the model answers in text even when tools are offered, as a model that needs none would: for
    /// clients (Codex) that always offer tools. False (the default) calls a tool when <see cref="ToolCall"/> says it does.
    /// </summary>
    public bool IgnoresTools
    {
        get { lock (_gate) { return _ignoresTools; } }
        set { lock (_gate) { _ignoresTools = value; } }
    }

    /// <summary>
    /// What the model does with a conversation that ends in an assistant turn: by default what the style's vendor
    /// does (OpenAI answers afresh; the others continue it, Mistral only when the turn has <c>"prefix": true</c>).
    /// </summary>
    public PrefillHandling PrefillHandling
    {
        get { lock (_gate) { return _prefill; } }
        set { lock (_gate) { _prefill = value; } }
    }

    /// <summary>Free-tier requests per sliding minute per API key; null (the default) for no limit.</summary>
    public int? RequestsPerMinute
    {
        get { lock (_gate) { return _requestsPerMinute; } }
        set
        {
            ThrowIfNotPositive(value);
            lock (_gate) { _requestsPerMinute = value; }
        }
    }

    /// <summary>Free-tier requests per UTC day per API key; null (the default) for no limit.</summary>
    public int? RequestsPerDay
    {
        get { lock (_gate) { return _requestsPerDay; } }
        set
        {
            ThrowIfNotPositive(value);
            lock (_gate) { _requestsPerDay = value; }
        }
    }

    /// <summary>The pause before each streamed event after the first, measured by the simulator's <see cref="TimeProvider"/>.</summary>
    public TimeSpan StreamEventDelay
    {
        get { lock (_gate) { return _streamEventDelay; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            lock (_gate) { _streamEventDelay = value; }
        }
    }

    /// <summary>How many scripted faults are still waiting for a call.</summary>
    public int PendingFaults
    {
        get { lock (_gate) { return _script.Count; } }
    }

    /// <summary>How many chat-completions calls arrived (whatever their outcome).</summary>
    public int CallCount
    {
        get { lock (_gate) { return _calls.Count; } }
    }

    /// <summary>A copy of the chat-completions calls received so far, oldest first.</summary>
    public IReadOnlyList<RecordedCall> Calls
    {
        get { lock (_gate) { return [.. _calls]; } }
    }

    /// <summary>How many <c>GET /models</c> calls arrived (kept apart from <see cref="CallCount"/>).</summary>
    public int ModelListCount => Volatile.Read(ref _modelListCount);

    /// <summary>Adds a scripted answer for a future call; faults are used in the order they were queued.</summary>
    public void Enqueue(SimulatedFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_gate) { _script.Enqueue(fault); }
    }

    /// <summary>Adds several scripted answers, in order.</summary>
    public void EnqueueMany(params IEnumerable<SimulatedFault> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var list = faults.ToList();
        if (list.Contains(null!))
        {
            throw new ArgumentException("A fault cannot be null.", nameof(faults));
        }

        lock (_gate)
        {
            foreach (var fault in list)
            {
                _script.Enqueue(fault);
            }
        }
    }

    /// <summary>The calls made with one API key.</summary>
    /// <param name="apiKey">The full key, or just its last four characters.</param>
    public IReadOnlyList<RecordedCall> CallsFor(string apiKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        var last4 = LastFour(apiKey);
        lock (_gate)
        {
            return [.. _calls.Where(call => call.KeyLast4 == last4)];
        }
    }

    /// <summary>Forgets the recorded calls, the pending script and the quota counters; keeps the settings.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _calls.Clear();
            _script.Clear();
            Quota.Reset();
        }

        Volatile.Write(ref _modelListCount, 0);
    }

    internal QuotaTracker Quota { get; } = new();

    internal ProviderSettings Settings()
    {
        lock (_gate)
        {
            return new ProviderSettings(_models, _replyText, _requestsPerMinute, _requestsPerDay, _streamEventDelay, _toolCall, _prefill, _ignoresTools);
        }
    }

    /// <summary>Takes the next scripted fault (if any) and records the call, as one step.</summary>
    internal SimulatedFault? BeginCall(Func<SimulatedFault?, RecordedCall> record)
    {
        lock (_gate)
        {
            _script.TryDequeue(out var fault);
            _calls.Add(record(fault));
            return fault;
        }
    }

    internal void CountModelList() => Interlocked.Increment(ref _modelListCount);

    internal static string LastFour(string key) => key.Length <= 4 ? key : key[^4..];

    private static void ThrowIfNotPositive(int? value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        if (value is <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "A limit must be positive (or null for no limit).");
        }
    }
}
