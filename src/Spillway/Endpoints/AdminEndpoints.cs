using System.Text.Json;
using Spillway.Core.KeyState;
using Spillway.Core.Ledger;
using Spillway.Core.Routing;
using Spillway.Hosting;
using Spillway.Security;

namespace Spillway.Endpoints;

/// <summary>The admin API (contract.md): the ledger and the state of every key. Guarded by the admin token.</summary>
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
        // Entries still queued are written first, so what the admin sees is never behind what clients saw.
        await writer.FlushAsync(context.RequestAborted);
        var entries = await store.ListRecentAsync(limit, context.RequestAborted);
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartArray();
        foreach (var entry in entries)
        {
            LedgerJson.WriteEntry(json, entry);
        }

        json.WriteEndArray();
    }

    private static async Task KeysAsync(HttpContext context, ConfigHolder configs, IKeyStateStore keys, TimeProvider time)
    {
        if (!await AdmitAsync(context, configs))
        {
            return;
        }

        var now = time.GetUtcNow();
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartArray();
        foreach (var provider in configs.Current.Providers)
        {
            foreach (var key in provider.Keys)
            {
                json.WriteStartObject();
                json.WriteString("id", key.Id);
                json.WriteString("provider", provider.Id);
                json.WriteString("tier", key.Tier.ToString().ToLowerInvariant());
                json.WriteString("secret_hint", "…" + key.Value.Last4);
                json.WriteBoolean("simulated", provider.Simulated);
                var cooldowns = keys.ActiveCooldowns(now).Where(c => c.KeyId == key.Id).Select(c => c.Cooldown).ToList();
                var longest = cooldowns.OrderByDescending(c => c.Until).FirstOrDefault();
                if (longest is null)
                {
                    json.WriteNull("cooldown_until");
                }
                else
                {
                    json.WriteString("cooldown_until", longest.Until);
                }

                json.WriteStartArray("cooldowns");
                foreach (var cooldown in cooldowns)
                {
                    json.WriteStartObject();
                    json.WriteString("until", cooldown.Until);
                    json.WriteString("outcome", cooldown.Outcome);
                    json.WriteString("reason", cooldown.Reason);
                    if (cooldown.Model is null)
                    {
                        json.WriteNull("model");
                    }
                    else
                    {
                        json.WriteString("model", cooldown.Model);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartObject("limits");
                WriteNumberOrNull(json, "rpm", key.Limits.Rpm);
                WriteNumberOrNull(json, "rpd", key.Limits.Rpd);
                WriteNumberOrNull(json, "tpm", key.Limits.Tpm);
                WriteNumberOrNull(json, "tpd", key.Limits.Tpd);
                json.WriteEndObject();
                // Live remaining capacity is tracked by the quota accounting; unknown figures are null.
                json.WriteStartObject("remaining");
                json.WriteNull("rpm");
                json.WriteNull("rpd");
                json.WriteNull("tpm");
                json.WriteEndObject();
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
    }

    private static async Task<bool> AdmitAsync(HttpContext context, ConfigHolder configs)
    {
        if (ClientGate.TryAdmitAdmin(context, configs.Current.Auth, out var denied))
        {
            return true;
        }

        await ErrorResponses.WriteAsync(context, Core.Codecs.OpenAI.OpenAIClientFormat.Instance, denied!, null);
        return false;
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
