using System.Text.Json;
using Spillway.Core.Catalog;
using Spillway.Core.Configuration;

namespace Spillway.Endpoints;

/// <summary>
/// <c>GET /v1/models</c>: the aliases first, then every routable <c>provider/model</c>, then the free models the
/// catalogs know right now (<c>openrouter/&lt;id&gt;</c>), in OpenAI's list shape, Anthropic's or Gemini's; and
/// <c>GET /v1/models/{id}</c>: one of those entries alone.
/// </summary>
internal static class ModelList
{
    public static byte[] Write(SpillwayConfig config, IModelCatalog catalog, ClientKeyConfig? client = null)
    {
        var ids = Ids(config, catalog, client);
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

    /// <summary>Anthropic's page shape (<c>type</c>, <c>display_name</c>, <c>created_at</c>; one page, <c>has_more</c> false).</summary>
    public static byte[] WriteAnthropic(SpillwayConfig config, IModelCatalog catalog, ClientKeyConfig? client = null)
    {
        var ids = Ids(config, catalog, client);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("data");
            foreach (var (id, _) in ids)
            {
                json.WriteStartObject();
                json.WriteString("type", "model");
                json.WriteString("id", id);
                json.WriteString("display_name", id);
                json.WriteString("created_at", "1970-01-01T00:00:00Z");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("has_more", false);
            json.WriteStringOrNull("first_id", ids.Count > 0 ? ids[0].Id : null);
            json.WriteStringOrNull("last_id", ids.Count > 0 ? ids[^1].Id : null);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The list's entry for <paramref name="id"/> in OpenAI's model shape, or null when the client's list lacks it.</summary>
    public static byte[]? WriteOne(SpillwayConfig config, IModelCatalog catalog, ClientKeyConfig? client, string id)
    {
        if (Find(config, catalog, client, id) is not { } model)
        {
            return null;
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("id", model.Id);
            json.WriteString("object", "model");
            json.WriteNumber("created", 0);
            json.WriteString("owned_by", model.Owner);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The list's entry for <paramref name="id"/> in Anthropic's model shape, or null when the client's list lacks it.</summary>
    public static byte[]? WriteOneAnthropic(SpillwayConfig config, IModelCatalog catalog, ClientKeyConfig? client, string id)
    {
        if (Find(config, catalog, client, id) is not { } model)
        {
            return null;
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("type", "model");
            json.WriteString("id", model.Id);
            json.WriteString("display_name", model.Id);
            json.WriteString("created_at", "1970-01-01T00:00:00Z");
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Gemini's list shape (<c>GET /v1beta/models</c>: <c>models</c> of <c>name: "models/{id}"</c>, one page), each
    /// entry saying it takes <c>generateContent</c> and <c>countTokens</c>.
    /// </summary>
    public static byte[] WriteGemini(SpillwayConfig config, IModelCatalog catalog, ClientKeyConfig? client = null)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("models");
            foreach (var (id, _) in Ids(config, catalog, client))
            {
                WriteGeminiModel(json, id);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>The list's entry for <paramref name="id"/> in Gemini's model shape, or null when the client's list lacks it.</summary>
    public static byte[]? WriteOneGemini(SpillwayConfig config, IModelCatalog catalog, ClientKeyConfig? client, string id)
    {
        if (Find(config, catalog, client, id) is not { } model)
        {
            return null;
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            WriteGeminiModel(json, model.Id);
        }

        return stream.ToArray();
    }

    private static void WriteGeminiModel(Utf8JsonWriter json, string id)
    {
        json.WriteStartObject();
        json.WriteString("name", "models/" + id);
        json.WriteString("displayName", id);
        json.WriteStartArray("supportedGenerationMethods");
        json.WriteStringValue("generateContent");
        json.WriteStringValue("streamGenerateContent");
        json.WriteStringValue("countTokens");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static (string Id, string Owner)? Find(SpillwayConfig config, IModelCatalog catalog, ClientKeyConfig? client, string id)
    {
        foreach (var model in Ids(config, catalog, client))
        {
            if (string.Equals(model.Id, id, StringComparison.Ordinal))
            {
                return model;
            }
        }

        return null;
    }

    /// <summary>What the client may name: everything, or only its <c>models:</c> allowance.</summary>
    private static List<(string Id, string Owner)> Ids(SpillwayConfig config, IModelCatalog catalog, ClientKeyConfig? client)
    {
        var all = Ids(config, catalog);
        if (client is not null && !client.AllowedModels.IsDefaultOrEmpty)
        {
            all.RemoveAll(id => !client.MayUse(id.Id));
        }

        return all;
    }

    private static List<(string Id, string Owner)> Ids(SpillwayConfig config, IModelCatalog catalog)
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
            // Embedding models too: the embeddings door's 400 for a chat model points here to find one.
            foreach (var model in provider.Models.Concat(provider.EmbeddingModels))
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

        foreach (var provider in config.Providers)
        {
            foreach (var model in catalog.FreeModels(provider))
            {
                var route = provider.Id + "/" + model.Id;
                if (seen.Add(route))
                {
                    ids.Add((route, provider.Id));
                }
            }
        }

        return ids;
    }
}
