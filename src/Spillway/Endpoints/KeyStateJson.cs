using System.Text.Json;
using Spillway.Core.KeyState;
using Spillway.Core.Providers;

namespace Spillway.Endpoints;

/// <summary>
/// One key of <c>GET /admin/keys</c>: tier, state, cooldowns and why, and per quota (rpm, rpd, tpm, tpd) the limit in
/// force, what is left and when it resets, null where unknown. Where the provider counts per model, the figures
/// are under <c>models</c> and the key-level <c>remaining</c> and <c>resets</c> are null. Never the secret.
/// </summary>
internal static class KeyStateJson
{
    public static void Write(
        Utf8JsonWriter json,
        ProviderConfig provider,
        KeyConfig key,
        IReadOnlyList<KeyCooldown> cooldowns,
        IQuotaStore quotas,
        DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("id", key.Id);
        json.WriteString("provider", provider.Id);
        json.WriteString("tier", key.Tier.ToString().ToLowerInvariant());
        json.WriteString("secret_hint", "…" + key.Value.Last4);
        json.WriteBoolean("simulated", provider.Simulated);
        json.WriteString("state", StateOf(cooldowns));
        WriteCooldowns(json, cooldowns);

        var rules = provider.RateLimits;
        var perModel = rules.QuotaPerModel;
        var keyWide = perModel ? null : quotas.Figures(new QuotaScope(key.Id, string.Empty), new QuotaRules(key.Limits, rules.DailyReset), now);
        WriteFigures(json, keyWide, key.Limits);

        json.WriteStartArray("models");
        foreach (var model in ModelsWithQuota(key, quotas))
        {
            var limits = key.ModelLimits.TryGetValue(model, out var own) ? own : key.Limits;
            var figures = quotas.Figures(new QuotaScope(key.Id, model), new QuotaRules(limits, rules.DailyReset), now);
            json.WriteStartObject();
            json.WriteString("model", model);
            WriteFigures(json, figures, limits);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary><c>key_rejected</c> (the provider refused the secret; re-checked with backoff or reset by hand),
    /// <c>cooling</c> (a limit or quota to wait out, perhaps for one model only) or <c>ready</c>.</summary>
    private static string StateOf(IReadOnlyList<KeyCooldown> cooldowns) =>
        cooldowns.Any(c => c.IsRejection) ? KeyCooldown.RejectedOutcome : cooldowns.Count > 0 ? "cooling" : "ready";

    /// <summary>Models with their own limits in config, and models the key has been counted for.</summary>
    private static SortedSet<string> ModelsWithQuota(KeyConfig key, IQuotaStore quotas)
    {
        var models = new SortedSet<string>(key.ModelLimits.Keys, StringComparer.Ordinal);
        foreach (var scope in quotas.Scopes())
        {
            if (scope.IsPerModel && scope.KeyId == key.Id)
            {
                models.Add(scope.Model);
            }
        }

        return models;
    }

    private static void WriteCooldowns(Utf8JsonWriter json, IReadOnlyList<KeyCooldown> cooldowns)
    {
        var longest = cooldowns.OrderByDescending(c => c.Until).FirstOrDefault();
        if (longest is null)
        {
            json.WriteNull("cooldown_until");
            json.WriteNull("cooldown_reason");
        }
        else
        {
            json.WriteString("cooldown_until", longest.Until);
            json.WriteString("cooldown_reason", longest.Outcome + ": " + longest.Reason);
        }

        json.WriteStartArray("cooldowns");
        foreach (var cooldown in cooldowns)
        {
            json.WriteStartObject();
            json.WriteString("until", cooldown.Until);
            json.WriteString("outcome", cooldown.Outcome);
            json.WriteString("reason", cooldown.Reason);
            json.WriteStringOrNull("model", cooldown.Model);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary><c>limits</c>, <c>remaining</c> and <c>resets</c>; with no figures (per-model quotas) the
    /// configured limits and nulls.</summary>
    private static void WriteFigures(Utf8JsonWriter json, QuotaFigures? figures, KeyLimits configured)
    {
        json.WriteStartObject("limits");
        foreach (var measure in QuotaMeasures.All)
        {
            json.WriteNumberOrNull(measure.Name(), figures is null ? configured.Of(measure) : figures[measure].Limit);
        }

        json.WriteEndObject();

        // Limits nobody told: inferred from a 429 that came after that many calls in the window.
        json.WriteStartArray("limits_inferred");
        foreach (var measure in QuotaMeasures.All)
        {
            if (figures?[measure].LimitInferred == true)
            {
                json.WriteStringValue(measure.Name());
            }
        }

        json.WriteEndArray();
        json.WriteStartObject("remaining");
        foreach (var measure in QuotaMeasures.All)
        {
            json.WriteNumberOrNull(measure.Name(), figures?[measure].Remaining);
        }

        json.WriteEndObject();
        json.WriteStartObject("resets");
        foreach (var measure in QuotaMeasures.All)
        {
            if (figures?[measure].ResetAt is { } at)
            {
                json.WriteString(measure.Name(), at);
            }
            else
            {
                json.WriteNull(measure.Name());
            }
        }

        json.WriteEndObject();
    }
}
