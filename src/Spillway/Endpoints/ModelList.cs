using System.Text.Json;
using Spillway.Core.Configuration;

namespace Spillway.Endpoints;

/// <summary><c>GET /v1/models</c> in OpenAI's list shape: the aliases first, then every routable <c>provider/model</c>.</summary>
internal static class ModelList
{
    public static byte[] Write(SpillwayConfig config)
    {
        var ids = new List<(string Id, string Owner)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var alias in config.Models)
        {
            if (seen.Add(alias.Id))
            {
                ids.Add((alias.Id, "spillway"));
            }
        }

        foreach (var provider in config.Providers)
        {
            foreach (var model in provider.Models)
            {
                var route = provider.Id + "/" + model;
                if (seen.Add(route))
                {
                    ids.Add((route, provider.Id));
                }
            }
        }

        foreach (var alias in config.Models)
        {
            foreach (var route in alias.Route)
            {
                if (seen.Add(route))
                {
                    ids.Add((route, route[..Math.Max(route.IndexOf('/', StringComparison.Ordinal), 0)]));
                }
            }
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            foreach (var (id, owner) in ids)
            {
                json.WriteStartObject();
                json.WriteString("id", id);
                json.WriteString("object", "model");
                json.WriteNumber("created", 0);
                json.WriteString("owned_by", owner);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
