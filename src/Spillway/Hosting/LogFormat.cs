namespace Spillway.Hosting;

/// <summary>How <c>serve</c> writes its log lines on stdout (<c>--log-format</c>).</summary>
internal enum LogFormat
{
    /// <summary>One readable line per entry: time, level, category, message.</summary>
    Console,

    /// <summary>One JSON object per line, for a log collector: UTC timestamp, level, category, message, the message's
    /// values, the exception, and the trace and span ids of the current trace.</summary>
    Json,
}
