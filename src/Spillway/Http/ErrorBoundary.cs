using Spillway.Core.Chat;
using Spillway.Core.Codecs;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.Gemini;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Providers;
using Spillway.Serving;

namespace Spillway.Http;

/// <summary>
/// Around every endpoint: what no endpoint answers is still answered in the caller's format. An unknown path (404)
/// or method (405) gets a JSON error instead of an empty body; a body Kestrel refuses mid-read (too large, too slow,
/// cut short) gets its status; and an exception no endpoint caught becomes a plain 500 in the caller's format, with
/// no stack trace for the client and, in the log, the exception without the request body (it may hold secrets).
/// </summary>
internal sealed partial class ErrorBoundary(RequestDelegate next, ILogger<ErrorBoundary> logger, ServingOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client is gone: nobody to answer.
            return;
        }
        catch (BadHttpRequestException ex)
        {
            await ErrorResponses.WriteAsync(context, FormatOf(context.Request), RequestIntake.ErrorOf(ex, options.MaxRequestBodyBytes), null);
            return;
        }
        catch (Exception ex)
        {
            Log.Unhandled(logger, ex.GetType().FullName ?? ex.GetType().Name, context.Request.Method, PathOf(context.Request), KeyScrubber.Scrub(ex.Message), ex.StackTrace);
            if (context.Response.HasStarted)
            {
                // Part of an answer is out: cut the connection so it cannot pass for a whole one.
                context.Abort();
                return;
            }

            context.Response.Clear();
            var error = new ChatError(500, ChatErrorKind.Server, "Spillway failed while answering this request; the failure is in its log.")
            {
                Code = "internal_error",
            };
            await ErrorResponses.WriteAsync(context, FormatOf(context.Request), error, null);
            return;
        }

        var response = context.Response;
        if (!response.HasStarted && response.ContentType is null && response.StatusCode is 404 or 405)
        {
            await ErrorResponses.WriteAsync(context, FormatOf(context.Request), NoEndpoint(context), null);
        }
    }

    /// <summary>
    /// Answers a request whose path is served for other methods only: 405 with <c>Allow</c>, the body written by the
    /// boundary in the caller's format, as for a method no route takes.
    /// </summary>
    internal static Task MethodNotAllowed(HttpContext context, string allowed)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = allowed;
        return Task.CompletedTask;
    }

    /// <summary>Anthropic's error shape under <c>/v1/messages</c> or for a caller that sends <c>anthropic-version</c>;
    /// Gemini's under <c>/v1beta</c>; else OpenAI's.</summary>
    internal static IClientFormat FormatOf(HttpRequest request) =>
        request.Path.StartsWithSegments("/v1/messages", StringComparison.OrdinalIgnoreCase) || request.Headers.ContainsKey("anthropic-version")
            ? AnthropicClientFormat.Instance
            : request.Path.StartsWithSegments("/v1beta", StringComparison.OrdinalIgnoreCase)
                ? GeminiClientFormat.Instance
                : OpenAIClientFormat.Instance;

    private static ChatError NoEndpoint(HttpContext context)
    {
        var request = context.Request;
        var target = request.Method + " " + PathOf(request);
        if (context.Response.StatusCode == 405)
        {
            var allowed = context.Response.Headers.Allow.ToString();
            var hint = allowed.Length == 0 ? string.Empty : $"; use {allowed}";
            return new ChatError(405, ChatErrorKind.InvalidRequest, $"Method not allowed: {target}{hint}.") { Code = "method_not_allowed" };
        }

        return new ChatError(
            404,
            ChatErrorKind.NotFound,
            $"Unknown URL: {target}. Spillway serves POST /v1/chat/completions, POST /v1/responses, POST /v1/messages, " +
            "POST /v1/messages/count_tokens, GET and DELETE /v1/responses/{id}, GET /v1/models, GET /v1/models/{id} and Gemini's POST /v1beta/models/{model}:generateContent.")
        {
            Code = "unknown_url",
        };
    }

    /// <summary>The path for a message or a log line: cut short, control characters shown as '?'.</summary>
    private static string PathOf(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        if (path.Length > 100)
        {
            path = path[..(char.IsHighSurrogate(path[99]) ? 99 : 100)] + "\u2026";
        }

        return string.Create(path.Length, path, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Error, Message = "Unhandled {ExceptionType} while answering {Method} {Path}: {Reason}\n{StackTrace}")]
        public static partial void Unhandled(ILogger logger, string exceptionType, string method, string path, string reason, string? stackTrace);
    }
}
