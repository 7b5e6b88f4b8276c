using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Spillway.Core.Tests.Ledger;

/// <summary>Keeps what was logged, for assertions.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, EventId EventId, string Message)> Records { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter) =>
        Records.Enqueue((logLevel, eventId, formatter(state, exception)));
}
