using System.Diagnostics;
using System.Diagnostics.Metrics;
using Spillway.Core.Configuration;
using Spillway.Core.Health;
using Spillway.Core.KeyState;

namespace Spillway.Core.Telemetry;

/// <summary>
/// The gauges of what the gateway knows right now, read when they are collected (a scrape), never on the request
/// path: each key's cooldown and known remaining capacity, each route's breaker. Read from the same stores as
/// <c>GET /admin/keys</c> and <c>/admin/routes</c>, so with Redis every instance reports the shared state.
/// </summary>
public static class KeyStateGauges
{
    public static void Register(
        Meter meter, Func<SpillwayConfig> config, IKeyStateStore keys, IQuotaStore quotas, RouteHealth health, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meter);

        // spillway_key_cooldown_seconds{provider,key_id}
        meter.CreateObservableGauge(
            "spillway.key.cooldown",
            () => Cooldowns(config(), keys, time.GetUtcNow()),
            "s",
            "Seconds until the key may be called again (0 when it may): its longest cooldown, for every model or one.");

        // spillway_key_remaining{provider,key_id,window[,model]}
        meter.CreateObservableGauge(
            "spillway.key.remaining",
            () => Remaining(config(), quotas, time.GetUtcNow()),
            "{request_or_token}",
            "What the key has left in each quota window (rpm, rpd, tpm, tpd) as far as is known: stated by the provider's headers or counted.");

        // spillway_route_breaker_open{route}
        meter.CreateObservableGauge(
            "spillway.route.breaker_open",
            () => Breakers(config(), health),
            unit: null,
            "1 while the route's breaker is open or half-open (letting one probe through), else 0.");
    }

    private static List<Measurement<double>> Cooldowns(SpillwayConfig config, IKeyStateStore keys, DateTimeOffset now)
    {
        var longest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (keyId, cooldown) in keys.ActiveCooldowns(now))
        {
            if (!longest.TryGetValue(keyId, out var until) || cooldown.Until > until)
            {
                longest[keyId] = cooldown.Until;
            }
        }

        var measurements = new List<Measurement<double>>();
        foreach (var provider in config.Providers)
        {
            foreach (var key in provider.Keys)
            {
                var seconds = longest.TryGetValue(key.Id, out var until) ? Math.Max(0, (until - now).TotalSeconds) : 0;
                measurements.Add(new Measurement<double>(seconds, new TagList { { "provider", provider.Id }, { "key_id", key.Id } }));
            }
        }

        return measurements;
    }

    private static List<Measurement<long>> Remaining(SpillwayConfig config, IQuotaStore quotas, DateTimeOffset now)
    {
        var perModel = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var scope in quotas.Scopes())
        {
            if (scope.IsPerModel)
            {
                if (!perModel.TryGetValue(scope.KeyId, out var models))
                {
                    perModel[scope.KeyId] = models = [];
                }

                models.Add(scope.Model);
            }
        }

        var measurements = new List<Measurement<long>>();
        foreach (var provider in config.Providers)
        {
            var rules = provider.RateLimits;
            foreach (var key in provider.Keys)
            {
                if (!rules.QuotaPerModel)
                {
                    var figures = quotas.Figures(new QuotaScope(key.Id, string.Empty), new QuotaRules(key.Limits, rules.DailyReset), now);
                    AddRemaining(measurements, figures, provider.Id, key.Id, model: null);
                }

                foreach (var model in perModel.GetValueOrDefault(key.Id) ?? [])
                {
                    var limits = key.ModelLimits.TryGetValue(model, out var own) ? own : key.Limits;
                    var figures = quotas.Figures(new QuotaScope(key.Id, model), new QuotaRules(limits, rules.DailyReset), now);
                    AddRemaining(measurements, figures, provider.Id, key.Id, model);
                }
            }
        }

        return measurements;
    }

    private static void AddRemaining(List<Measurement<long>> measurements, QuotaFigures figures, string provider, string keyId, string? model)
    {
        foreach (var measure in QuotaMeasures.All)
        {
            if (figures[measure].Remaining is not { } remaining)
            {
                continue;
            }

            var tags = new TagList { { "provider", provider }, { "key_id", keyId }, { "window", measure.Name() } };
            if (model is not null)
            {
                tags.Add("model", model);
            }

            measurements.Add(new Measurement<long>(remaining, tags));
        }
    }

    private static List<Measurement<int>> Breakers(SpillwayConfig config, RouteHealth health)
    {
        var routes = health.Routes(config.Providers);
        var measurements = new List<Measurement<int>>(routes.Count);
        foreach (var route in routes)
        {
            var open = health.Breakers.View(route).State == BreakerState.Closed ? 0 : 1;
            measurements.Add(new Measurement<int>(open, new TagList { { "route", route } }));
        }

        return measurements;
    }
}
