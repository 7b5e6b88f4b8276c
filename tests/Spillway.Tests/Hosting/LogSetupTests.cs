using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Spillway.Hosting;
using Spillway.Tests.Cli;

namespace Spillway.Tests.Hosting;

/// <summary>
/// The JSON log lines <see cref="LogSetup"/> makes, read from the console they are written to (so in the console
/// collection): the trace of the current Activity, the message's values, an exception, all on one line each.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class LogSetupTests
{
    [Fact]
    public async Task Json_LoggedInsideAnActivity_CarriesItsTraceAndSpanIds()
    {
        using var source = new ActivitySource("Spillway.Tests.LogSetup");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        string traceId = string.Empty, spanId = string.Empty;

        var lines = await LogAsync(logger =>
        {
            using var activity = source.StartActivity("request")!;
            (traceId, spanId) = (activity.TraceId.ToHexString(), activity.SpanId.ToHexString());
            logger.LogWarning("Key {KeyId} cooled", "groq-1");
        });

        var entry = Assert.Single(lines);
        Assert.Equal("Warning", entry.GetProperty("LogLevel").GetString());
        Assert.Equal("Spillway.Tests", entry.GetProperty("Category").GetString());
        Assert.Equal("Key groq-1 cooled", entry.GetProperty("Message").GetString());
        Assert.Equal("groq-1", entry.GetProperty("State").GetProperty("KeyId").GetString());
        Assert.Contains(
            entry.GetProperty("Scopes").EnumerateArray(),
            scope => scope.TryGetProperty("TraceId", out var trace) && trace.GetString() == traceId
                && scope.GetProperty("SpanId").GetString() == spanId);
    }

    [Fact]
    public async Task Json_OutsideAnyActivityWithAnException_OneLineWithTheExceptionAndNoTrace()
    {
        var lines = await LogAsync(logger => logger.LogError(new InvalidOperationException("first line\nsecond line"), "Could not save"));

        var entry = Assert.Single(lines);
        Assert.Equal("Error", entry.GetProperty("LogLevel").GetString());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", entry.GetProperty("Timestamp").GetString());
        Assert.Contains("first line\nsecond line", entry.GetProperty("Exception").GetString(), StringComparison.Ordinal);
        Assert.False(entry.TryGetProperty("Scopes", out var scopes) && scopes.EnumerateArray().Any(s => s.TryGetProperty("TraceId", out _)));
    }

    /// <summary>
    /// Builds the logging of a JSON-format gateway over a captured console, runs <paramref name="log"/> with a logger
    /// of category <c>Spillway.Tests</c>, and waits (bounded) for the console logger's background writer to write it.
    /// </summary>
    private static async Task<IReadOnlyList<JsonElement>> LogAsync(Action<ILogger> log)
    {
        var original = Console.Out;
        var console = new LockedWriter();
        Console.SetOut(console);
        try
        {
            var services = new ServiceCollection().AddLogging(logging => LogSetup.Configure(logging, LogFormat.Json, LogLevel.Information));
            await using var provider = services.BuildServiceProvider();
            log(provider.GetRequiredService<ILoggerFactory>().CreateLogger("Spillway.Tests"));
            for (var attempt = 0; attempt < 600 && console.Text.Length == 0; attempt++)
            {
                await Task.Delay(50);
            }
        }
        finally
        {
            Console.SetOut(original);
        }

        return [.. console.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    /// <summary>What the console logger writes from its own thread, read safely from the test's.</summary>
    private sealed class LockedWriter : TextWriter
    {
        private readonly StringBuilder _text = new();

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_text)
            {
                _text.Append(value);
            }
        }
    }
}
