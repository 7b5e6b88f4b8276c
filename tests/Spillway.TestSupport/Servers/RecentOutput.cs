using System.Collections.Concurrent;

namespace Spillway.TestSupport.Servers;

/// <summary>The last lines a server process printed (stdout and stderr), for the message of a failure.</summary>
internal sealed class RecentOutput
{
    private const int MaxLines = 200;
    private readonly ConcurrentQueue<string> _lines = new();

    public void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        while (_lines.Count > MaxLines && _lines.TryDequeue(out _))
        {
        }
    }

    public override string ToString() => string.Join(Environment.NewLine, _lines);
}
