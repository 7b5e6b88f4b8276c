namespace Spillway.Storage.Redis.Quotas;

/// <summary>
/// The admissions of one scope on this instance. While one of its admission scripts is on its way to Redis, new
/// admissions wait here, and go together in one script when it answers: under load a scope's windows are read once
/// for several calls, and the answer still comes from Redis before each call is made, so the limits hold exactly.
/// One call on its own is sent at once, as before.
/// </summary>
internal sealed class AdmissionQueue
{
    /// <summary>The most calls one script admits.</summary>
    public const int MostPerScript = 64;

    private readonly List<QueuedAdmission> _waiting = [];
    private bool _busy;

    /// <summary>True when nothing of the scope is on its way: the caller sends <paramref name="admission"/> at once.</summary>
    public bool Join(QueuedAdmission admission)
    {
        lock (_waiting)
        {
            if (_busy)
            {
                _waiting.Add(admission);
                return false;
            }

            _busy = true;
            admission.Sent = true;
            return true;
        }
    }

    /// <summary>
    /// After an answer: sends the waiting admissions that share the first one's rules (<paramref name="send"/>, under
    /// this queue's lock, so a caller giving up at the same moment sees whether its admission went), or marks the scope
    /// idle when none wait.
    /// </summary>
    public void SendNext(Action<List<QueuedAdmission>> send)
    {
        lock (_waiting)
        {
            _waiting.RemoveAll(admission => admission.Abandoned);
            if (_waiting.Count == 0)
            {
                _busy = false;
                return;
            }

            var rules = _waiting[0].Rules;
            var batch = new List<QueuedAdmission>(Math.Min(_waiting.Count, MostPerScript));
            for (var i = 0; i < _waiting.Count && batch.Count < MostPerScript; i++)
            {
                if (_waiting[i].Rules == rules)
                {
                    batch.Add(_waiting[i]);
                    _waiting[i].Sent = true;
                }
            }

            _waiting.RemoveAll(admission => admission.Sent);
            send(batch);
        }
    }

    /// <summary>The caller stopped waiting: true when its admission had been sent, so Redis may have counted it.</summary>
    public bool Abandon(QueuedAdmission admission)
    {
        lock (_waiting)
        {
            admission.Abandoned = true;
            if (!admission.Sent)
            {
                _waiting.Remove(admission);
            }

            return admission.Sent;
        }
    }
}
