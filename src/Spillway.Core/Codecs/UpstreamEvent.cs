using Spillway.Core.Chat;

namespace Spillway.Core.Codecs;

/// <summary>What the engine needs to know about one streamed upstream event, whatever the upstream's format.</summary>
internal readonly record struct UpstreamEvent(
    bool IsDone,
    bool IsError,
    bool IsContentBearing,
    bool IsUsageOnly,
    bool HasFinish,
    bool IsMalformed,
    TokenUsage? Usage);
