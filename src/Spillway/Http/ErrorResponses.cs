using Spillway.Core.Chat;
using Spillway.Core.Buffers;
using Spillway.Core.Codecs;
using Spillway.Core.Engine;

namespace Spillway.Http;

/// <summary>Errors answered before the engine runs (bad input, auth, unknown model), in the caller's format.</summary>
internal static class ErrorResponses
{
    public static async Task WriteAsync(HttpContext context, IClientFormat format, ChatError error, string? requestId, TimeSpan? retryAfter = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        if (requestId is not null)
        {
            response.Headers[SpillwayHeaders.RequestId] = requestId;
        }

        response.Headers[SpillwayHeaders.Attempts] = "0";
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        using var body = new PooledBufferWriter(512);
        format.WriteError(body, error);
        await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }
}
