using System.Text.Json;
using Spillway.Core.Ledger;

namespace Spillway.Endpoints;

/// <summary>A ledger entry in the shape of <c>GET /admin/requests</c> (contract.md).</summary>
internal static class LedgerJson
{
    public static void WriteEntry(Utf8JsonWriter json, LedgerEntry entry)
    {
        json.WriteStartObject();
        json.WriteString("id", entry.Id);
        json.WriteString("time", entry.Time);
        json.WriteString("client_format", entry.ClientFormat);
        json.WriteString("model", entry.Model);
        WriteStringOrNull(json, "route", entry.Route);
        json.WriteNumber("status", entry.Status);
        json.WriteBoolean("stream", entry.Stream);
        json.WriteStartArray("attempts");
        foreach (var attempt in entry.Attempts)
        {
            json.WriteStartObject();
            json.WriteString("route", attempt.Route);
            WriteStringOrNull(json, "key_id", attempt.KeyId);
            if (attempt.Status is { } status)
            {
                json.WriteNumber("status", status);
            }
            else
            {
                json.WriteNull("status");
            }

            json.WriteString("outcome", attempt.Outcome);
            json.WriteNumber("latency_ms", Math.Round(attempt.LatencyMs, 3));
            WriteStringOrNull(json, "detail", attempt.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (entry.Usage is { } usage)
        {
            json.WriteStartObject("usage");
            json.WriteNumber("input_tokens", usage.InputTokens);
            json.WriteNumber("output_tokens", usage.OutputTokens);
            json.WriteNumber("cached_input_tokens", usage.CachedInputTokens);
            json.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
            json.WriteNumber("cache_write_input_tokens", usage.CacheWriteInputTokens);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("usage");
        }

        WriteDecimalOrNull(json, "cost_usd", entry.CostUsd);
        WriteDecimalOrNull(json, "saved_usd", entry.SavedUsd);
        json.WriteNumber("latency_ms", Math.Round(entry.LatencyMs, 3));
        if (entry.TtftMs is { } ttft)
        {
            json.WriteNumber("ttft_ms", Math.Round(ttft, 3));
        }
        else
        {
            json.WriteNull("ttft_ms");
        }

        WriteStringOrNull(json, "error", entry.Error);
        WriteStringOrNull(json, "client_id", entry.ClientId);
        json.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteDecimalOrNull(Utf8JsonWriter json, string name, decimal? value)
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
