using System.Security.Cryptography;
using System.Text;

namespace Spillway.Simulator;

/// <summary>Everything one successful answer says, shared by the JSON and the streamed forms.</summary>
internal sealed record ChatReply(
    string Id,
    long Created,
    string Model,
    SimulatorStyle Style,
    string ProviderName,
    string? Text,
    ToolCallPlan? ToolCall,
    string ToolCallId,
    int PromptTokens,
    int CompletionTokens,
    bool IncludeUsage,
    bool Truncated = false)
{
    /// <summary>Stands in for the vendor's system fingerprint, so every answer says what produced it.</summary>
    public const string Fingerprint = "spillway-simulator";

    /// <summary>What OpenRouter answers carry in <c>provider</c>.</summary>
    public const string OpenRouterProvider = "Spillway Simulator";

    public string FinishReason => ToolCall is not null ? "tool_calls" : Truncated ? "length" : "stop";

    public int TotalTokens => PromptTokens + CompletionTokens;

    public static ChatReply Create(ChatRequest request, ProviderSettings settings, SimulatorStyle style, string providerName, DateTimeOffset now)
    {
        var toolCall = settings.IgnoresTools ? null
            : request.ToolCall is not null && settings.ToolCall is { } scripted
                ? new ToolCallPlan(scripted.Name, scripted.Arguments)
                : request.ToolCall;
        // A caller asking for JSON (response_format, responseMimeType) gets JSON that fits its schema.
        var answer = request.StructuredOutput?.Answer(settings.ReplyText) ?? settings.ReplyText;

        // A model continuing a prefill answers with what follows it (the reply text after it, when it begins so).
        if (request.Prefill is { } prefill && settings.Prefill == PrefillHandling.Continue &&
            answer.StartsWith(prefill.Text, StringComparison.Ordinal))
        {
            answer = answer[prefill.Text.Length..];
        }
        var text = toolCall is null ? answer : null;
        var produced = toolCall is null ? answer : toolCall.Name + toolCall.Arguments;
        var completionTokens = Math.Max(1, (Encoding.UTF8.GetByteCount(produced) + 3) / 4);

        // A text answer longer than the caller's output cap is cut, as a real model stops at the cap; a tool
        // call or a JSON answer is left whole, since half a JSON document would only test the simulator.
        var truncated = false;
        if (text is not null && request.StructuredOutput is null && request.MaxOutputTokens is { } cap && cap > 0 && completionTokens > cap)
        {
            var end = Math.Min(text.Length, cap * 4);
            if (end < text.Length && char.IsLowSurrogate(text[end]))
            {
                end--;
            }

            text = text[..end];
            completionTokens = cap;
            truncated = true;
        }

        // OpenRouter always reports usage at the end of a stream (its include_usage flag is deprecated and ignored).
        var includeUsage = request.IncludeUsage || style == SimulatorStyle.OpenRouter;
        return new ChatReply(
            "chatcmpl-sim" + RandomId(),
            now.ToUnixTimeSeconds(),
            request.Model!,
            style,
            providerName,
            text,
            toolCall,
            "call_sim" + RandomId(),
            request.PromptTokens,
            completionTokens,
            includeUsage,
            truncated);
    }

    private static string RandomId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
