using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Spillway.Simulator;

/// <summary>
/// A PROVIDER SIMULATOR: an in-process Kestrel server on 127.0.0.1 that imitates LLM providers' APIs in the
/// OpenAI, Anthropic Messages and Gemini formats (success bodies, streams, the vendors' real error bodies and
/// rate-limit headers) so Spillway can be
/// tested, and demonstrated with <c>spillway serve --demo</c>, without real keys. It is never a real provider:
/// every answer carries <see cref="MarkerHeader"/>: <see cref="MarkerValue"/> and the default reply text says
/// it is simulated. Each <see cref="SimulatedProvider"/> is served under <c>{BaseAddress}{name}/</c>, on the
/// routes of its <see cref="SimulatorStyle"/>'s format.
/// </summary>
/// <example>
/// <code>
/// var groq = new SimulatedProvider("groq", SimulatorStyle.Groq) { RequestsPerDay = 3 };
/// await using var simulator = await ProviderSimulator.StartAsync([groq], fakeTime);
/// groq.Enqueue(SimulatedFault.RateLimited(TimeSpan.FromSeconds(5)));   // the next call gets Groq's RPM 429
/// var baseUrl = simulator.BaseUrlOf("groq");                              // http://127.0.0.1:port/groq/v1
/// </code>
/// </example>
public sealed class ProviderSimulator : IAsyncDisposable
{
    /// <summary>The header on every answer of the simulator.</summary>
    public const string MarkerHeader = "x-simulator";

    /// <summary>The value of <see cref="MarkerHeader"/>.</summary>
    public const string MarkerValue = "spillway-simulator";

    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly Dictionary<string, SimulatedProvider> _providers;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private ProviderSimulator(WebApplication app, Dictionary<string, SimulatedProvider> providers, CancellationTokenSource stopping, Uri baseAddress)
    {
        _app = app;
        _providers = providers;
        _stopping = stopping;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's root, e.g. <c>http://127.0.0.1:54321/</c> (always with a trailing slash).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The simulated providers, in no particular order.</summary>
    public IReadOnlyCollection<SimulatedProvider> Providers => _providers.Values;

    /// <summary>A simulated provider by name (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">No provider has that name.</exception>
    public SimulatedProvider this[string providerName] =>
        _providers.TryGetValue(providerName, out var provider)
            ? provider
            : throw new KeyNotFoundException($"The simulator serves no provider named '{providerName}'.");

    /// <summary>Starts a simulator serving <paramref name="providers"/> on a free loopback port.</summary>
    /// <param name="providers">The providers; names must be unique (case-insensitive).</param>
    /// <param name="time">The clock for quota windows, <c>created</c> stamps and stream delays; the system clock when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<ProviderSimulator> StartAsync(
        IEnumerable<SimulatedProvider> providers,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(providers);
        var byName = new Dictionary<string, SimulatedProvider>(StringComparer.OrdinalIgnoreCase);
        foreach (var provider in providers)
        {
            ArgumentNullException.ThrowIfNull(provider, nameof(providers));
            if (!byName.TryAdd(provider.Name, provider))
            {
                throw new ArgumentException($"Two simulated providers are named '{provider.Name}'.", nameof(providers));
            }
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ProviderSimulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // The simulator runs inside other processes (tests, `spillway serve --demo`): it must not pick up their
        // appsettings.json, ASPNETCORE_URLS or Kestrel endpoints, nor write to their logs.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);

        var app = builder.Build();
        var stopping = new CancellationTokenSource();
        var runtime = new SimulatorRuntime(time ?? TimeProvider.System, stopping.Token);
        SimulatorEndpoints.Map(app, byName, runtime);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            stopping.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ProviderSimulator(app, byName, stopping, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>The OpenAI base URL of a provider, <c>{BaseAddress}{name}/v1</c>: clients post to <c>{base}/chat/completions</c>.</summary>
    /// <exception cref="KeyNotFoundException">No provider has that name.</exception>
    public Uri BaseUrlOf(string providerName) => new(BaseAddress, this[providerName].Name + "/v1");

    /// <summary>
    /// The root of a provider, <c>{BaseAddress}{name}/</c>, for SDKs that add the version themselves: Anthropic
    /// clients post to <c>{root}v1/messages</c>, Gemini clients to <c>{root}v1beta/models/{model}:generateContent</c>.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No provider has that name.</exception>
    public Uri RootUrlOf(string providerName) => new(BaseAddress, this[providerName].Name + "/");

    /// <summary>Stops the server: hanging calls and running streams are cut off.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        using (var timeout = new CancellationTokenSource(ShutdownTimeout))
        {
            await _app.StopAsync(timeout.Token);
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
