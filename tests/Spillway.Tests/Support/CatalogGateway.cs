using System.Net.Http.Json;
using System.Text.Json;
using Spillway.Core.Configuration;
using Spillway.Simulator;
using Spillway.TestSupport;

namespace Spillway.Tests.Support;

/// <summary>
/// A gateway whose <c>openrouter</c> simulator serves the recorded OpenRouter catalog
/// (fixtures/openrouter-models-api-response-2025-12.json) as its <c>GET /models</c>, with <c>catalog.openrouter</c>
/// pointing at it.
/// </summary>
internal static class CatalogGateway
{
    public static readonly byte[] Catalog = Fixtures.ReadBytes("openrouter-models-api-response-2025-12.json");

    public static async Task<TestGateway> StartAsync(byte[]? catalog = null)
    {
        var openRouter = new SimulatedProvider("openrouter", SimulatorStyle.OpenRouter) { ModelListBody = catalog ?? Catalog };
        return await TestGateway.StartAsync([openRouter], (simulator, config) => config with
        {
            Catalog = new CatalogConfig { OpenRouter = new OpenRouterCatalogConfig(simulator.BaseUrlOf("openrouter"), 60) },
        });
    }

    /// <summary><c>GET /admin/catalog/free</c> once the first refresh has either read the list or failed.</summary>
    public static async Task<JsonElement> FreeAsync(TestGateway gateway)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var body = await gateway.Http.GetFromJsonAsync<JsonElement>("/admin/catalog/free");
            var sources = body.GetProperty("catalogs").EnumerateArray().ToList();
            if (sources.Exists(s => s.GetProperty("source").GetString() == "openrouter") || DateTime.UtcNow > deadline)
            {
                return body;
            }

            await Task.Delay(50);
        }
    }
}
