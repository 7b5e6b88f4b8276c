using Spillway.Core.KeyState;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Quotas;

/// <summary>One call's admission on its way to Redis, alone or in a script with others of its scope.</summary>
internal sealed class QueuedAdmission(QuotaScope scope, QuotaRules rules, long? tokens, DateTimeOffset now, string id)
{
    /// <summary>How many values the admission script answers per call.</summary>
    public const int AnswerLength = 10;

    public QuotaScope Scope => scope;

    public QuotaRules Rules => rules;

    public long? Tokens => tokens;

    public DateTimeOffset Now => now;

    /// <summary>The reservation's id in the windows (what a take-back removes).</summary>
    public string Id => id;

    /// <summary>True once its script was handed to the connection: from then on Redis may count it.</summary>
    public bool Sent { get; set; }

    /// <summary>True once the caller stopped waiting (it timed out or was cancelled).</summary>
    public bool Abandoned { get; set; }

    /// <summary>Where its values start in the script's answer.</summary>
    public int Offset { get; set; }

    /// <summary>
    /// The script's whole answer, or why there is none. Its waiter goes on on the thread that hands the answers out (a
    /// pool thread, after the scope's next script was sent): a hop to another thread per call would cost more than
    /// running the few calls of a batch one after the other up to their next await.
    /// </summary>
    public TaskCompletionSource<RedisResult[]> Answer { get; } = new();
}
