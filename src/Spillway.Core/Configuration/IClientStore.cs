namespace Spillway.Core.Configuration;

/// <summary>
/// Where the clients added with <c>spillway clients add</c> are kept (the embedded SQLite database, or PostgreSQL for
/// several instances). A client's key is held only as its hash (<see cref="ClientKeyConfig.KeyHash"/>).
/// </summary>
public interface IClientStore
{
    /// <summary>Adds a client; false when its id is taken.</summary>
    Task<bool> AddAsync(ClientKeyConfig client, DateTimeOffset created, CancellationToken cancellationToken);

    /// <summary>Every stored client, by id.</summary>
    Task<IReadOnlyList<StoredClient>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Removes a client; false when there is none with that id.</summary>
    Task<bool> RemoveAsync(string id, CancellationToken cancellationToken);
}

/// <summary>A stored client and when it was added.</summary>
public sealed record StoredClient(ClientKeyConfig Client, DateTimeOffset Created);
