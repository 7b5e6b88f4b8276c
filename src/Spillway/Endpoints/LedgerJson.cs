using System.Text.Json;
using Spillway.Core.Ledger;

namespace Spillway.Endpoints;

/// <summary>A ledger entry in the shape of <c>GET /admin/requests</c> (README.md).</summary>
internal static class LedgerJson
{
    public static void WriteEntry(Utf8JsonWriter json, LedgerEntry entry)
    {
        json.WriteStartObject();
        json.WriteString("id", entry.Id);
        json.WriteString("time", entry.Time);
        json.WriteString("client_format", entry.ClientFormat);
        json.WriteString("model", entry.Model);
        json.WriteStringOrNull("route", entry.Route);
        json.WriteNumber("status", entry.Status);
        json.WriteBoolean("stream", entry.Stream);
        json.WriteStartArray("attempts");
        foreach (var attempt in entry.Attempts)
        {
            json.WriteStartObject();
            json.WriteString("route", attempt.Route);
            json.WriteStringOrNull("key_id", attempt.KeyId);
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
            json.WriteStringOrNull("detail", attempt.Detail);
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

        json.WriteNumberOrNull("cost_usd", entry.CostUsd);
        json.WriteNumberOrNull("saved_usd", entry.SavedUsd);
        json.WriteNumber("latency_ms", Math.Round(entry.LatencyMs, 3));
        if (entry.TtftMs is { } ttft)
        {
            json.WriteNumber("ttft_ms", Math.Round(ttft, 3));
        }
        else
        {
            json.WriteNull("ttft_ms");
        }

        json.WriteStringOrNull("error", entry.Error);
        json.WriteStringOrNull("client_id", entry.ClientId);
        json.WriteEndObject();
    }
}
