using System.Buffers;
using System.Text.Json;
using Spillway.Core.Buffers;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// <c>GET /admin/requests/live</c>: Server-Sent Events, one <c>event: request</c> per request as it finishes, its
/// data the same object as an item of <c>/admin/requests</c> (what the dashboard's Requests page shows without a
/// reload). A comment line every <see cref="KeepAlive"/> keeps proxies from closing a quiet stream. Ends when the
/// client leaves or the gateway stops. Guarded like every admin read.
/// </summary>
internal static class AdminLiveEndpoints
{
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    private static readonly byte[] EventPrefix = "event: request\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] KeepAliveLine = ": keep-alive\n\n"u8.ToArray();

    public static void MapAdminLiveEndpoints(this IEndpointRouteBuilder app) => app.MapGet("/admin/requests/live", LiveAsync);

    private static async Task LiveAsync(
        HttpContext context, ConfigHolder configs, LiveRequests live, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        if (!await AdminEndpoints.AdmitAsync(context, configs))
        {
            return;
        }

        using var watch = live.Subscribe();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(ended.Token);
        await response.Body.WriteAsync(KeepAliveLine, ended.Token);
        await response.Body.FlushAsync(ended.Token);
        using var buffer = new PooledBufferWriter(4096);
        try
        {
            while (!ended.IsCancellationRequested)
            {
                using var keepAlive = new CancellationTokenSource(KeepAlive, time);
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ended.Token, keepAlive.Token);
                bool more;
                try
                {
                    more = await watch.Entries.WaitToReadAsync(quiet.Token);
                }
                catch (OperationCanceledException) when (!ended.IsCancellationRequested)
                {
                    await response.Body.WriteAsync(KeepAliveLine, ended.Token);
                    await response.Body.FlushAsync(ended.Token);
                    continue;
                }

                if (!more)
                {
                    return;
                }

                while (watch.Entries.TryRead(out var entry))
                {
                    buffer.Clear();
                    buffer.Write(EventPrefix);
                    using (var json = new Utf8JsonWriter(buffer))
                    {
                        LedgerJson.WriteEntry(json, entry);
                    }

                    buffer.Write(EventEnd);
                    await response.Body.WriteAsync(buffer.WrittenMemory, ended.Token);
                }

                await response.Body.FlushAsync(ended.Token);
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            // The page closed, or the gateway stops: the stream simply ends.
        }
    }
}
