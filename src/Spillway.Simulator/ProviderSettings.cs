namespace Spillway.Simulator;

/// <summary>A consistent copy of a provider's settings, taken once per call so a test changing them mid-call cannot tear a reply.</summary>
internal sealed record ProviderSettings(
    IReadOnlyList<string> Models,
    string ReplyText,
    int? RequestsPerMinute,
    int? RequestsPerDay,
    TimeSpan StreamEventDelay,
    SimulatedToolCall? ToolCall,
    PrefillHandling Prefill,
    bool IgnoresTools = false)
{
    public QuotaLimits Limits => new(RequestsPerMinute, RequestsPerDay);
}
