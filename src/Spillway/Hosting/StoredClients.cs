using System.Collections.Immutable;
using Spillway.Core.Configuration;

namespace Spillway.Hosting;

/// <summary>Joins the clients stored with <c>spillway clients add</c> to those of the config.</summary>
internal static class StoredClients
{
    /// <summary>The config with the stored clients added; a client id in both is a config error.</summary>
    public static async Task<SpillwayConfig> AddToAsync(SpillwayConfig config, RecordStores records, CancellationToken cancellationToken)
    {
        var stored = await records.ListClientsAsync(cancellationToken);
        if (stored.Count == 0)
        {
            return config;
        }

        var clients = Join(config.Auth.Clients, stored, out var clash);
        return clash is null
            ? config with { Auth = config.Auth with { Clients = clients } }
            : throw new ConfigException(
                $"client '{clash}' is in the config (auth.clients) and stored in {records.Place} too; remove one of them ('spillway clients remove {clash}').");
    }

    /// <summary>
    /// The config's own clients, then the stored ones. A stored client whose id the config already uses is left
    /// out, and its id returned in <paramref name="clash"/>: the config's client stays the one with that name.
    /// </summary>
    public static ImmutableArray<ClientKeyConfig> Join(ImmutableArray<ClientKeyConfig> own, IReadOnlyList<StoredClient> stored, out string? clash)
    {
        clash = null;
        var clients = own.ToBuilder();
        foreach (var (client, _) in stored)
        {
            if (own.Any(c => c.Id == client.Id))
            {
                clash ??= client.Id;
                continue;
            }

            clients.Add(client);
        }

        return clients.ToImmutable();
    }
}
