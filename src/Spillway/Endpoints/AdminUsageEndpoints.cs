using System.Text.Json;
using Spillway.Core.Engine;
using Spillway.Core.Ledger;
using Spillway.Http;
using Spillway.Security;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// <c>GET /admin/usage?days=N</c> (README.md): spend and savings per UTC day and route over the last N days (30 by
/// default, today included), the totals, the totals per client (<c>clients</c>, anonymous loopback clients as a null id), and
/// the paid calls left unpriced since start. Guarded by the admin token.
/// </summary>
internal static class AdminUsageEndpoints
{
    private const int DefaultDays = 30;
    private const int MaxDays = 3660;

    public static void MapAdminUsageEndpoints(this IEndpointRouteBuilder app) => app.MapGet("/admin/usage", UsageAsync);

    private static async Task UsageAsync(
        HttpContext context, ConfigHolder configs, ILedgerUsage ledger, LedgerWriter writer, CostCalculator costs, TimeProvider time)
    {
        if (!await AdminEndpoints.AdmitAsync(context, configs))
        {
            return;
        }

        var days = int.TryParse(context.Request.Query["days"], out var n) ? Math.Clamp(n, 1, MaxDays) : DefaultDays;
        var since = UsageReport.SinceDays(time.GetUtcNow(), days);

        // Entries still queued are written first, so the totals include every request clients have seen answered.
        await writer.FlushAsync(context.RequestAborted);
        var report = UsageReport.Of(since, await ledger.UsageByDayAsync(since, context.RequestAborted));
        var clients = await ledger.UsageByClientAsync(since, context.RequestAborted);
        context.Response.ContentType = "application/json";
        await using var json = ReadableJson.CreateWriter(context);
        json.WriteStartObject();
        json.WriteString("since", report.Since.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteStartArray("days");
        foreach (var day in report.Days)
        {
            json.WriteStartObject();
            json.WriteString("day", day.Day);
            WriteSum(json, day.Total);
            json.WriteStartArray("routes");
            foreach (var route in day.Routes)
            {
                json.WriteStartObject();
                json.WriteString("route", route.Route);
                json.WriteNumber("requests", route.Requests);
                json.WriteNumber("cost_usd", route.CostUsd);
                json.WriteNumber("saved_usd", route.SavedUsd);
                json.WriteNumber("unpriced_requests", route.UnpricedRequests);
                json.WriteNumber("input_tokens", route.InputTokens);
                json.WriteNumber("output_tokens", route.OutputTokens);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartObject("total");
        WriteSum(json, report.Total);
        json.WriteEndObject();
        json.WriteStartArray("clients");
        foreach (var client in clients)
        {
            json.WriteStartObject();
            json.WriteStringOrNull("client_id", client.ClientId);
            json.WriteNumber("requests", client.Requests);
            json.WriteNumber("cost_usd", client.CostUsd);
            json.WriteNumber("saved_usd", client.SavedUsd);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("unpriced_since_start");
        foreach (var (route, calls) in costs.Unpriced.Snapshot())
        {
            json.WriteStartObject();
            json.WriteString("route", route);
            json.WriteNumber("calls", calls);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSum(Utf8JsonWriter json, UsageReport.Sum sum)
    {
        json.WriteNumber("requests", sum.Requests);
        json.WriteNumber("cost_usd", sum.CostUsd);
        json.WriteNumber("saved_usd", sum.SavedUsd);
        json.WriteNumber("unpriced_requests", sum.UnpricedRequests);
    }
}
