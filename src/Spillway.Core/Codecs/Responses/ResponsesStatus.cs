using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>The response <c>status</c>, and why an answer is incomplete (<c>incomplete_details.reason</c>).</summary>
internal static class ResponsesStatus
{
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Incomplete = "incomplete";
    public const string Failed = "failed";

    /// <summary>
    /// <c>completed</c>, or <c>incomplete</c> with <c>max_output_tokens</c> for a length stop and
    /// <c>content_filter</c> for a filtered or refused answer.
    /// </summary>
    public static (string Status, string? IncompleteReason) Of(ChatFinish? finish) => finish?.Reason switch
    {
        FinishReason.Length => (Incomplete, "max_output_tokens"),
        FinishReason.ContentFilter or FinishReason.Refusal => (Incomplete, "content_filter"),
        _ => (Completed, null),
    };
}
