using Spillway.Core.Chat;

namespace Spillway.Core.Codecs;

/// <summary>What a batch of canonical events, decoded from one upstream event, means to the engine.</summary>
internal static class StreamEventFacts
{
    public static UpstreamEvent Of(List<ChatStreamEvent> events, bool isDone)
    {
        var contentBearing = false;
        var error = false;
        var finish = false;
        string? finishReason = null;
        var usageOnly = events.Count > 0;
        TokenUsage? usage = null;
        foreach (var streamEvent in events)
        {
            switch (streamEvent)
            {
                case UsageEvent u:
                    usage = u.Usage;
                    continue;
                case MessageStartEvent { Usage: { } startUsage }:
                    usage = startUsage;
                    break;
                case StreamErrorEvent:
                    error = true;
                    break;
                case FinishEvent finished:
                    finish = true;
                    finishReason = FinishReasonNames.Of(finished.Finish);
                    break;
                case TextDeltaEvent text:
                    contentBearing |= text.Text.Length > 0;
                    break;
                case ThinkingDeltaEvent thinking:
                    contentBearing |= thinking.Text.Length > 0;
                    break;
                case ToolCallStartEvent or ToolCallArgumentsDeltaEvent or ThinkingSignatureEvent or RedactedThinkingEvent:
                    contentBearing = true;
                    break;
            }

            usageOnly = false;
        }

        return new UpstreamEvent(isDone, error, contentBearing, usageOnly && usage is not null, finish, IsMalformed: false, usage)
        {
            FinishReason = finishReason,
        };
    }
}
