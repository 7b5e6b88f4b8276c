using System.Text.Json;
using Spillway.Core.Chat;
using Spillway.Core.KeyState;
using Spillway.Core.Ledger;
using Spillway.Http;
using Spillway.Security;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>The admin API (README.md): the ledger and the state of every key. Guarded by the admin token.</summary>
internal static class AdminEndpoints
{
    private const int MaxLimit = 1000;

    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/requests", RequestsAsync);
        app.MapGet("/admin/keys", KeysAsync);
    }

    private static async Task RequestsAsync(HttpContext context, ConfigHolder configs, ILedgerStore store, LedgerWriter writer)
    {
        if (!await AdmitAsync(context, configs))
        {
            return;
        }

        var limit = int.TryParse(context.Request.Query["limit"], out var n) ? Math.Clamp(n, 1, MaxLimit) : 50;
        if (writer.IsStoreFailing)
        {
            // Writing the queue first would wait for the database to come back; say what is going on instead.
            await ErrorResponses.WriteAsync(context, Core.Codecs.OpenAI.OpenAIClientFormat.Instance, LedgerUnavailable(writer), null);
            return;
        }

        // Entries still queued are written first, so what the admin sees is never behind what clients saw.
        await writer.FlushAsync(context.RequestAborted);
        var entries = await store.ListRecentAsync(limit, context.RequestAborted);
        context.Response.ContentType = "application/json";
        await using var json = ReadableJson.CreateWriter(context);
        json.WriteStartArray();
        foreach (var entry in entries)
        {
            LedgerJson.WriteEntry(json, entry);
        }

        json.WriteEndArray();
    }

    private static async Task KeysAsync(HttpContext context, ConfigHolder configs, IKeyStateStore keys, IQuotaStore quotas, TimeProvider time)
    {
        if (!await AdmitAsync(context, configs))
        {
            return;
        }

        var now = time.GetUtcNow();
        var cooldowns = keys.ActiveCooldowns(now);
        context.Response.ContentType = "application/json";
        await using var json = ReadableJson.CreateWriter(context);
        json.WriteStartArray();
        foreach (var provider in configs.Current.Providers)
        {
            foreach (var key in provider.Keys)
            {
                var own = cooldowns.Where(c => c.KeyId == key.Id).Select(c => c.Cooldown).ToList();
                KeyStateJson.Write(json, provider, key, own, quotas, now);
            }
        }

        json.WriteEndArray();
    }

    private static ChatError LedgerUnavailable(LedgerWriter writer) => new(
        503,
        ChatErrorKind.Server,
        $"The ledger store cannot be written right now (see /healthz); {writer.QueuedCount} entries wait in memory and are written once it is back.")
    {
        Code = "ledger_unavailable",
    };

    internal static async Task<bool> AdmitAsync(HttpContext context, ConfigHolder configs)
    {
        if (ClientGate.TryAdmitAdmin(context, configs.Current.Auth, out var denied))
        {
            return true;
        }

        await ErrorResponses.WriteAsync(context, Core.Codecs.OpenAI.OpenAIClientFormat.Instance, denied!, null);
        return false;
    }
}
