using System.Collections.Concurrent;
using Spillway.Core.KeyState;
using Spillway.Core.Providers;
using StackExchange.Redis;

namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// Admissions: the one awaited operation, and its scripts on their way (one scope's calls that arrive together share
/// one, see <see cref="AdmissionQueue"/>).
/// </summary>
public sealed partial class RedisQuotaStore
{
    private readonly ConcurrentDictionary<QuotaScope, AdmissionQueue> _admissions = new();

    /// <inheritdoc />
    public async ValueTask<AdmitDecision> TryAdmitAsync(
        QuotaScope scope, QuotaRules rules, long? tokens, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!IsShared)
        {
            return _local.TryAdmit(scope, rules, tokens, now);
        }

        if (rules.Limits == KeyLimits.Unknown && AdmitsUnasked(scope, now))
        {
            return AdmitDecision.Admit(new QuotaReservation(scope, tokens ?? 0, new UncountedHold(rules, now)));
        }

        var admission = new QueuedAdmission(scope, rules, tokens, now, NewId());
        var queue = _admissions.GetOrAdd(scope, static _ => new AdmissionQueue());
        if (queue.Join(admission))
        {
            SendAdmissions(queue, [admission], retry: true);
        }

        RedisResult[] answer;
        try
        {
            answer = await admission.Answer.Task.WaitAsync(_admitTimeout, cancellationToken);
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            FellBack("admission", e.Message);
            if (queue.Abandon(admission))
            {
                TakeBack(scope, admission.Id, tokens);
            }

            return _local.TryAdmit(scope, rules, tokens, now);
        }
        catch (OperationCanceledException)
        {
            if (queue.Abandon(admission))
            {
                TakeBack(scope, admission.Id, tokens);
            }

            throw;
        }

        return Decision(admission, answer);
    }

    /// <summary>
    /// Hands one admission script for <paramref name="batch"/> to the connection; its answer goes to each admission,
    /// then the admissions that waited meanwhile are sent. <paramref name="retry"/>: a script Redis lost (it restarted,
    /// or its scripts were flushed) is loaded again and the batch sent once more (Redis ran nothing of it).
    /// </summary>
    private void SendAdmissions(AdmissionQueue queue, List<QueuedAdmission> batch, bool retry)
    {
        var first = batch[0];
        var keys = KeysOf(first.Scope);
        var values = AdmissionArguments(batch, keys.IndexEntry);
        Task<RedisResult> sent;
        try
        {
            sent = AdmitScript.SendAsync(_connection.Database, keys.All, values);
        }
        catch (Exception e) when (RedisConnection.IsOutage(e))
        {
            sent = Task.FromException<RedisResult>(e);
        }

        // Always on a pool thread of its own (one hop per script, not per call): never inside the queue's lock or the
        // sending caller, even when the script failed before it left.
        sent.ContinueWith(
            answered => Answered(queue, batch, answered, retry),
            CancellationToken.None,
            TaskContinuationOptions.RunContinuationsAsynchronously,
            TaskScheduler.Default);
    }

    private void Answered(AdmissionQueue queue, List<QueuedAdmission> batch, Task<RedisResult> answered, bool retry)
    {
        if (retry && answered.Exception?.InnerException is RedisServerException missing && RedisScript.IsMissing(missing))
        {
            _connection.LoadScripts(CommandFlags.FireAndForget);
            batch.RemoveAll(admission => admission.Abandoned);
            if (batch.Count > 0)
            {
                SendAdmissions(queue, batch, retry: false);
                return;
            }
        }
        else
        {
            // The next script goes first: the callers below run on this thread up to their next await.
            queue.SendNext(next => SendAdmissions(queue, next, retry: true));
            Distribute(batch, answered);
            return;
        }

        queue.SendNext(next => SendAdmissions(queue, next, retry: true));
    }

    private static void Distribute(List<QueuedAdmission> batch, Task<RedisResult> answered)
    {
        RedisResult[] answer;
        try
        {
            answer = (RedisResult[])answered.GetAwaiter().GetResult()!;
        }
        catch (Exception e)
        {
            // Every caller still waiting gets the failure (a script the connection cancelled is an outage to them, not
            // their own cancellation); the scope's next admissions are still sent.
            var failure = e is OperationCanceledException ? new RedisException("The admission script was cancelled.") : e;
            foreach (var admission in batch)
            {
                admission.Answer.TrySetException(failure);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Offset = i * QueuedAdmission.AnswerLength;
            batch[i].Answer.TrySetResult(answer);
        }
    }

    /// <summary>The prelude's arguments (from the latest admission's time), the index entry, then each call's tokens and id.</summary>
    private static RedisValue[] AdmissionArguments(List<QueuedAdmission> batch, string indexEntry)
    {
        var latest = batch[0].Now;
        foreach (var admission in batch)
        {
            latest = admission.Now > latest ? admission.Now : latest;
        }

        var more = new RedisValue[2 + (2 * batch.Count)];
        more[0] = indexEntry;
        more[1] = batch.Count;
        for (var i = 0; i < batch.Count; i++)
        {
            more[2 + (2 * i)] = batch[i].Tokens ?? -1;
            more[3 + (2 * i)] = batch[i].Id;
        }

        return Arguments(batch[0].Rules, latest, more);
    }

    /// <summary>The decision in <paramref name="admission"/>'s ten values of the script's answer.</summary>
    private AdmitDecision Decision(QueuedAdmission admission, RedisResult[] answer)
    {
        var at = admission.Offset;
        var scope = admission.Scope;
        if ((long)answer[at] == 1)
        {
            if ((long)answer[at + 9] == 1)
            {
                _boundlessUntil[scope] = admission.Now.Add(BoundlessFor).ToUnixTimeMilliseconds();
            }

            _tokensKnownUntil[scope] = (long)answer[at + 7];
            var statements = new[] { (string)answer[at + 3]!, (string)answer[at + 4]!, (string)answer[at + 5]!, (string)answer[at + 6]! };
            var hold = new RedisQuotaHold(
                admission.Id, (long)answer[at + 1], (long)answer[at + 2], statements, (int)(long)answer[at + 8], admission.Now.ToUnixTimeMilliseconds());
            return AdmitDecision.Admit(new QuotaReservation(scope, admission.Tokens ?? 0, hold));
        }

        _tokensKnownUntil[scope] = (long)answer[at + 6];
        var limit = (long)answer[at + 4];
        return new AdmitDecision
        {
            Measure = (QuotaMeasure)(int)(long)answer[at + 1],
            Needed = (long)answer[at + 2],
            Remaining = (long)answer[at + 3],
            Limit = limit < 0 ? null : limit,
            ResetAt = DateTimeOffset.FromUnixTimeMilliseconds((long)answer[at + 5]),
        };
    }
}
