using System.Collections.Frozen;
using System.Collections.Immutable;
using Spillway.Core.Providers;

namespace Spillway.Core.Configuration;

/// <summary>Who may call Spillway. With no clients listed only loopback callers are served.</summary>
public sealed record AuthConfig
{
    private readonly ImmutableArray<ClientKeyConfig> _clients = [];
    private FrozenDictionary<string, ClientKeyConfig>? _byHash;

    public static AuthConfig None { get; } = new();

    /// <summary>Guards <c>/admin</c>; null leaves it open to loopback callers only.</summary>
    public Secret? AdminToken { get; init; }

    public ImmutableArray<ClientKeyConfig> Clients
    {
        get => _clients;
        init
        {
            _clients = value.IsDefault ? [] : value;
            _byHash = null;
        }
    }

    /// <summary>
    /// The client whose key is <paramref name="presentedKey"/>, or null. The lookup is by the key's hash, so its
    /// timing tells an attacker nothing about any stored key.
    /// </summary>
    public ClientKeyConfig? FindClient(string? presentedKey)
    {
        if (string.IsNullOrEmpty(presentedKey))
        {
            return null;
        }

        var byHash = _byHash ??= _clients.ToFrozenDictionary(c => c.KeyHash, StringComparer.Ordinal);
        return byHash.GetValueOrDefault(ClientKeyHash.Of(presentedKey));
    }
}
