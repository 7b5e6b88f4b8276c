using System.Diagnostics;
using System.Text.Encodings.Web;

namespace Spillway.Hosting;

/// <summary>
/// Where and how the gateway logs: the console (stdout), one line per entry, readable or JSON
/// (<see cref="LogFormat"/>), with the categories too chatty to be worth a line turned down.
/// </summary>
internal static class LogSetup
{
    /// <summary>ISO-8601 in UTC to the millisecond (<c>2026-12-07T09:42:55.123Z</c>); the formatter is handed UTC times.</summary>
    public const string JsonTimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>The logging of the gateway <paramref name="options"/> describe, then the options' own additions.</summary>
    public static void Configure(ILoggingBuilder logging, SpillwayAppOptions options)
    {
        Configure(logging, options.LogFormat, options.LogLevel);
        options.ConfigureLogging?.Invoke(logging);
    }

    /// <summary>Console logging in <paramref name="format"/> from <paramref name="minimum"/> up, the usual filters applied.</summary>
    public static void Configure(ILoggingBuilder logging, LogFormat format, LogLevel minimum)
    {
        logging.ClearProviders();
        if (format == LogFormat.Json)
        {
            AddJsonConsole(logging);
        }
        else
        {
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        }

        logging.SetMinimumLevel(minimum);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);

        // Npgsql logs every command it runs at Information (each ledger batch); only its warnings are worth a line.
        logging.AddFilter("Npgsql", LogLevel.Warning);

        // Off entirely: while this category is enabled at any level, ASP.NET Core starts an Activity and a logging
        // scope for every request (and HttpClient then a second Activity and a traceparent header for every upstream
        // call). It logs requests only at Information, below the Warning above, so nothing shown is lost.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
    }

    /// <summary>
    /// The built-in JSON formatter (it writes with a Utf8JsonWriter, no reflection: fit for Native AOT). Scopes are
    /// included because that is where the trace and span ids of <see cref="Activity.Current"/> go: the factory adds
    /// them as one scope of every entry logged while an Activity is current.
    /// </summary>
    private static void AddJsonConsole(ILoggingBuilder logging)
    {
        logging.Configure(factory => factory.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        logging.AddJsonConsole(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
            json.TimestampFormat = JsonTimestampFormat;

            // Log lines are read by collectors and people, never put into a web page: '+', '<' or an accented letter
            // in a message stay as they are instead of becoming \u002B and the like. Still valid JSON.
            json.JsonWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        });
    }
}
