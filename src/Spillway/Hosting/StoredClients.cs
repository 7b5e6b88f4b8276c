using Spillway.Core.Configuration;
using Spillway.Storage.Sqlite;

namespace Spillway.Hosting;

/// <summary>Joins the clients stored with <c>spillway clients add</c> to those of the config.</summary>
internal static class StoredClients
{
    /// <summary>The config with the data folder's stored clients added; a client id in both is a config error.</summary>
    public static async Task<SpillwayConfig> AddToAsync(SpillwayConfig config, string dataDirectory, CancellationToken cancellationToken)
    {
        var stored = await SqliteClientStore.ListIfAnyAsync(dataDirectory, cancellationToken);
        if (stored.Count == 0)
        {
            return config;
        }

        foreach (var (client, _) in stored)
        {
            if (config.Auth.Clients.Any(c => c.Id == client.Id))
            {
                throw new ConfigException(
                    $"client '{client.Id}' is in the config (auth.clients) and stored in {Path.GetFullPath(dataDirectory)} too; remove one of them ('spillway clients remove {client.Id}').");
            }
        }

        return config with { Auth = config.Auth with { Clients = [.. config.Auth.Clients, .. stored.Select(s => s.Client)] } };
    }
}
