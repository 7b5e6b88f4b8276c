using Spillway.Core.Configuration.Yaml;
using YamlDotNet.RepresentationModel;

namespace Spillway.Core.Configuration.Loading;

/// <summary>Checks a <c>provider/model</c> route against the configured providers.</summary>
internal sealed class RouteChecks
{
    private readonly HashSet<string> _providers;
    private readonly HashSet<string> _aliases;

    public RouteChecks(IEnumerable<string> providerIds, IEnumerable<string> aliasIds)
    {
        _providers = new HashSet<string>(providerIds, StringComparer.Ordinal);
        _aliases = new HashSet<string>(aliasIds, StringComparer.Ordinal);
    }

    public bool IsProvider(string id) => _providers.Contains(id);

    public string Check(ConfigReadContext context, YamlNode node, string path)
    {
        var route = YamlValues.Text(context, node, path);
        var slash = route.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            var nested = _aliases.Contains(route) ? $"; {YamlValues.Quote(route)} is an alias, and aliases cannot name aliases" : string.Empty;
            throw context.Error(node, path, $"{YamlValues.Quote(route)} is not a route: expected provider/model{nested}");
        }

        var provider = route[..slash];
        if (slash == route.Length - 1)
        {
            throw context.Error(node, path, $"{YamlValues.Quote(route)} names no model after the provider");
        }

        if (!_providers.Contains(provider))
        {
            var known = _providers.Count == 0 ? "no providers are configured" : $"configured: {string.Join(", ", _providers)}";
            throw context.Error(node, path, $"route {YamlValues.Quote(route)} names unknown provider {YamlValues.Quote(provider)}{FieldSuggestion.Hint(provider, _providers)} ({known})");
        }

        return route;
    }
}
