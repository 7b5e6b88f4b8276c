using System.Net.Http.Json;
using System.Text.Json;
using Spillway.Core.Catalog;
using Spillway.Tests.Support;

namespace Spillway.Tests.Endpoints;

/// <summary><c>GET /admin/catalog/free</c> and the free models in <c>GET /v1/models</c>, over the recorded OpenRouter catalog.</summary>
public sealed class AdminCatalogEndpointsTests
{
    [Fact]
    public async Task CatalogFree_AfterTheFirstRefresh_ListsTheThirtyFreeModelsAsRoutesWithCapabilities()
    {
        await using var gateway = await CatalogGateway.StartAsync();

        var body = await CatalogGateway.FreeAsync(gateway);

        var models = body.GetProperty("models").EnumerateArray().ToList();
        var expected = ModelListParser.Parse(CatalogGateway.Catalog).Where(m => m.Free).Select(m => "openrouter/" + m.Id);
        Assert.Equal(expected, models.Select(m => m.GetProperty("route").GetString()));
        var small = models.Single(m => m.GetProperty("id").GetString() == "google/gemma-3n-e2b-it:free");
        Assert.Equal(8192, small.GetProperty("context_length").GetInt32());
        Assert.Equal(JsonValueKind.False, small.GetProperty("capabilities").GetProperty("tools").ValueKind);
        Assert.Equal("openrouter", small.GetProperty("source").GetString());
        Assert.True(small.GetProperty("refreshed_at").GetDateTimeOffset() > DateTimeOffset.UnixEpoch);
        var source = Assert.Single(body.GetProperty("catalogs").EnumerateArray(), s => s.GetProperty("source").GetString() == "openrouter");
        Assert.Equal(335, source.GetProperty("model_count").GetInt32());
        Assert.Equal(30, source.GetProperty("free_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, source.GetProperty("last_error").ValueKind);
    }

    [Fact]
    public async Task CatalogFree_RefreshFailed_ShowsTheErrorAndNoModels()
    {
        await using var gateway = await CatalogGateway.StartAsync("{\"error\":{\"message\":\"down\"}}"u8.ToArray());

        var body = await CatalogGateway.FreeAsync(gateway);

        Assert.Empty(body.GetProperty("models").EnumerateArray());
        var source = Assert.Single(body.GetProperty("catalogs").EnumerateArray(), s => s.GetProperty("source").GetString() == "openrouter");
        Assert.Equal(JsonValueKind.Null, source.GetProperty("refreshed_at").ValueKind);
        var error = source.GetProperty("last_error");
        Assert.Contains("not a model list", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(error.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public async Task Models_WithCatalog_ListsTheFreeModelsAsOpenRouterRoutes()
    {
        await using var gateway = await CatalogGateway.StartAsync();
        await CatalogGateway.FreeAsync(gateway);

        var list = await gateway.Http.GetFromJsonAsync<JsonElement>("/v1/models");

        var ids = list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Contains("openrouter/google/gemma-3n-e2b-it:free", ids);
        Assert.Contains("openrouter/amazon/nova-2-lite-v1:free", ids);
        Assert.DoesNotContain("openrouter/openrouter/auto", ids);
    }
}
