using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Spillway.Core.Configuration;
using Spillway.Hosting;
using Spillway.Http;
using Spillway.Tests.Support;

namespace Spillway.Tests.Http;

public sealed class ErrorBoundaryTests
{
    private const string Secret = "sk-proj-ErrorBoundarySecret0123456789";

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/messages")]
    public async Task InvokeAsync_UnexpectedException_Clean500InTheCallersFormatAndLogged(string path)
    {
        using var logs = new CapturedLogs();
        var boundary = Boundary(_ => throw new InvalidOperationException("the request carried " + Secret), logs);
        var context = Context(path);

        await boundary.InvokeAsync(context);

        Assert.Equal(500, context.Response.StatusCode);
        var text = Body(context);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        if (path == "/v1/messages")
        {
            Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
            Assert.Equal("api_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        }
        else
        {
            Assert.Equal("internal_error", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        // The log has what an operator needs: the exception's type and where it was thrown.
        var line = Assert.Single(logs.Lines);
        Assert.Contains("InvalidOperationException", line, StringComparison.Ordinal);
        Assert.Contains(nameof(ErrorBoundaryTests), line, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_ClientGone_NothingWrittenNorLogged()
    {
        using var logs = new CapturedLogs();
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();
        var boundary = Boundary(_ => throw new OperationCanceledException(), logs);
        var context = Context("/v1/chat/completions");
        context.RequestAborted = gone.Token;

        await boundary.InvokeAsync(context);

        Assert.Equal(string.Empty, Body(context));
        Assert.Empty(logs.Lines);
    }

    [Fact]
    public async Task InvokeAsync_BodyRefusedByKestrel_ItsStatusInTheCallersFormat()
    {
        using var logs = new CapturedLogs();
        var boundary = Boundary(_ => throw new BadHttpRequestException("Request body too large.", 413), logs);
        var context = Context("/v1/messages");

        await boundary.InvokeAsync(context);

        Assert.Equal(413, context.Response.StatusCode);
        using var json = JsonDocument.Parse(Body(context));
        Assert.Equal("request_too_large", json.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    private static ErrorBoundary Boundary(RequestDelegate next, CapturedLogs logs)
    {
        var options = new SpillwayAppOptions { Config = new SpillwayConfig(), DataDirectory = Path.GetTempPath(), Time = TimeProvider.System };
        return new ErrorBoundary(next, new TypedLogger(logs.CreateLogger(nameof(ErrorBoundary))), options.Serving);
    }

    private static DefaultHttpContext Context(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = path;
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static string Body(HttpContext context) => Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    private sealed class TypedLogger(ILogger inner) : ILogger<ErrorBoundary>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
