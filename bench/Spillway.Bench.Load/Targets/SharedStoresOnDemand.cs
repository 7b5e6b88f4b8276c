namespace Spillway.Bench.Load.Targets;

/// <summary>
/// The shared stores, started by the first target that needs them (so a run without such targets starts no server),
/// the same servers for every later one, and stopped on dispose if they were started.
/// </summary>
internal sealed class SharedStoresOnDemand : IAsyncDisposable
{
    private Task<SharedStores>? _starting;

    public Task<SharedStores> GetAsync() => _starting ??= SharedStores.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_starting is { } starting)
        {
            try
            {
                await (await starting).DisposeAsync();
            }
            catch (Exception) when (!starting.IsCompletedSuccessfully)
            {
                // They never started: the targets that needed them already said why.
            }
        }
    }
}
