using System.Text.Json;
using Spillway.Core.Budgets;
using Spillway.Core.Configuration;
using Spillway.Serving;

namespace Spillway.Endpoints;

/// <summary>
/// <c>GET /admin/clients</c>: each client's allowance and its spend against its budgets right now (settled spend
/// today and this month, money held by calls in flight). Never a key or its hash. Guarded by the admin token.
/// </summary>
internal static class AdminClientsEndpoints
{
    public static void MapAdminClientsEndpoints(this IEndpointRouteBuilder app) => app.MapGet("/admin/clients", ClientsAsync);

    private static async Task ClientsAsync(HttpContext context, ConfigHolder configs, IBudgetStore budgets)
    {
        if (!await AdminEndpoints.AdmitAsync(context, configs))
        {
            return;
        }

        context.Response.ContentType = "application/json";
        await using var json = ReadableJson.CreateWriter(context);
        json.WriteStartArray();
        foreach (var client in configs.Current.Auth.Clients)
        {
            WriteClient(json, client, budgets.StatusOf(client.Id));
        }

        json.WriteEndArray();
    }

    private static void WriteClient(Utf8JsonWriter json, ClientKeyConfig client, BudgetStatus status)
    {
        json.WriteStartObject();
        json.WriteString("id", client.Id);
        json.WriteBoolean("allow_paid", client.AllowPaid);
        json.WriteString("data_policy", client.NoTrain ? "no-train" : "any");
        json.WriteNumberOrNull("rpm", client.RequestsPerMinute);
        json.WriteStartArray("models");
        foreach (var model in client.AllowedModels)
        {
            json.WriteStringValue(model);
        }

        json.WriteEndArray();
        json.WriteStartObject("budget");
        json.WriteNumberOrNull("usd_per_day", client.BudgetUsdPerDay);
        json.WriteNumberOrNull("usd_per_month", client.BudgetUsdPerMonth);
        json.WriteNumber("spent_today_usd", status.SpentToday);
        json.WriteNumber("spent_this_month_usd", status.SpentThisMonth);
        json.WriteNumber("held_usd", status.Held);
        json.WriteString("day_resets_at", status.DayResetsAt);
        json.WriteString("month_resets_at", status.MonthResetsAt);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
