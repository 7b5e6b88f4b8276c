using System.Globalization;
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
    /// <summary>The most entries one page of <c>/admin/requests</c> holds; older ones are reached with <c>before</c>.</summary>
    internal const int MaxLimit = 1000;

    private const int DefaultLimit = 50;

    /// <summary>On every page: the largest <c>limit</c> taken, so a script sees the cap instead of a short answer.</summary>
    internal const string MaxLimitHeader = "x-spillway-max-limit";

    /// <summary>When older entries exist: the id to pass as <c>before</c> for the next page (also in <c>Link</c>).</summary>
    internal const string NextBeforeHeader = "x-spillway-next-before";

    public static void MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/requests", RequestsAsync);
        app.MapGet("/admin/keys", KeysAsync);
    }

    /// <summary>
    /// One page of the ledger, newest first: <c>?limit=N</c> (1 to <see cref="MaxLimit"/>, 50 when absent) entries,
    /// older than entry <c>?before=ID</c> when given. The body stays a plain JSON array (scripts parse it); the cursor
    /// to the next page goes in headers, present only when older entries exist: <c>Link: &lt;…&gt;; rel="next"</c>
    /// (RFC 8288) and <see cref="NextBeforeHeader"/>. A limit out of range or a before that names no entry is a 400.
    /// </summary>
    private static async Task RequestsAsync(HttpContext context, ConfigHolder configs, ILedgerStore store, LedgerWriter writer)
    {
        if (!await AdmitAsync(context, configs))
        {
            return;
        }

        var query = context.Request.Query;
        var limit = DefaultLimit;
        if (query.ContainsKey("limit") && (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            await BadRequestAsync(context, "limit", "invalid_limit", $"limit must be a whole number from 1 to {MaxLimit}; for older entries, ask again with before=<the last id of a page>.");
            return;
        }

        string? before = null;
        if (query.ContainsKey("before"))
        {
            before = query["before"].ToString();
            if (query["before"].Count != 1 || before.Length is 0 or > 200)
            {
                await BadRequestAsync(context, "before", "invalid_before", "before must be the id of a ledger entry (x-spillway-request-id, or the id in x-spillway-next-before).");
                return;
            }
        }

        if (writer.IsStoreFailing)
        {
            // Writing the queue first would wait for the database to come back; say what is going on instead.
            await ErrorResponses.WriteAsync(context, Core.Codecs.OpenAI.OpenAIClientFormat.Instance, LedgerUnavailable(writer), null);
            return;
        }

        // Entries still queued are written first, so what the admin sees is never behind what clients saw.
        await writer.FlushAsync(context.RequestAborted);
        if (await store.ListPageAsync(limit, before, context.RequestAborted) is not { } page)
        {
            await BadRequestAsync(context, "before", "invalid_before", "before names no ledger entry: no entry has that id (never written, or older than ledger.retention_days and pruned).");
            return;
        }

        context.Response.Headers[MaxLimitHeader] = MaxLimit.ToString(CultureInfo.InvariantCulture);
        if (page.NextBefore is { } next)
        {
            var escaped = Uri.EscapeDataString(next);
            context.Response.Headers.Link = $"</admin/requests?limit={limit.ToString(CultureInfo.InvariantCulture)}&before={escaped}>; rel=\"next\"";
            context.Response.Headers[NextBeforeHeader] = next;
        }

        context.Response.ContentType = "application/json";
        await using var json = ReadableJson.CreateWriter(context);
        json.WriteStartArray();
        foreach (var entry in page.Entries)
        {
            LedgerJson.WriteEntry(json, entry);
        }

        json.WriteEndArray();
    }

    private static Task BadRequestAsync(HttpContext context, string param, string code, string message) =>
        ErrorResponses.WriteAsync(
            context,
            Core.Codecs.OpenAI.OpenAIClientFormat.Instance,
            new ChatError(400, ChatErrorKind.InvalidRequest, message) { Param = param, Code = code },
            null);

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
