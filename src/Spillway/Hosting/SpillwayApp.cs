using Microsoft.Extensions.DependencyInjection.Extensions;
using Spillway.Core.Budgets;
using Spillway.Core.Catalog;
using Spillway.Core.Codecs.Anthropic;
using Spillway.Core.Codecs.Gemini;
using Spillway.Core.Codecs.OpenAI;
using Spillway.Core.Codecs.Responses;
using Spillway.Core.Configuration;
using Spillway.Core.Counting;
using Spillway.Core.Embeddings;
using Spillway.Core.Engine;
using Spillway.Core.Health;
using Spillway.Core.KeyState;
using Spillway.Core.Ledger;
using Spillway.Core.Planning;
using Spillway.Core.Pricing;
using Spillway.Core.Providers;
using Spillway.Core.Telemetry;
using Spillway.Dashboard;
using Spillway.Endpoints;
using Spillway.Http;
using Spillway.Security;
using Spillway.Serving;
using Spillway.Storage.Postgres;
using Spillway.Storage.Sqlite;

namespace Spillway.Hosting;

/// <summary>Builds the gateway: Kestrel, the services behind the endpoints, and the endpoints themselves.</summary>
internal static class SpillwayApp
{
    public static WebApplication Build(SpillwayAppOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // The gateway's config is its own file; appsettings.json is still read but not watched. Watching it meant
            // an inotify watch over every folder under the working directory, and with the data folder below it
            // (running from the home folder), a wake-up of the watcher thread for every ledger write.
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            options.Limits.ApplyTo(kestrel.Limits, options.MaxRequestBodyBytes);
        });
        LogSetup.Configure(builder.Logging, options);

        var services = builder.Services;
        builder.AddGatewayTelemetry(options.Config);
        var engineOptions = options.Engine with { CaptureContent = options.Engine.CaptureContent || options.Config.Telemetry.CaptureContent };

        // Requests under way get the grace to finish, then the wrap-up to end with their in-band error (ShutdownDrain).
        services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Config.ShutdownGrace + ShutdownDrain.Wrapup);
        services.AddSingleton(sp => new ShutdownDrain(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(options);
        services.AddSingleton(options.Serving);
        services.AddSingleton(new ConfigHolder(options.Config));
        services.AddSingleton(options.Time);
        services.AddSingleton<ClientRateLimits>();
        services.AddSingleton(sp => new DashboardSessions(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new LoginThrottle(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DashboardFiles>();
        services.AddSingleton<LiveRequests>();
        var shared = AddSharedState(services, options);
        services.AddSingleton(sp => new StoresInUse
        {
            Redis = shared ? sp.GetRequiredService<SharedState>().Redis.Endpoint : null,
            RedisAvailable = shared ? () => sp.GetRequiredService<SharedState>().Redis.IsAvailable : static () => false,
            Postgres = sp.GetService<PostgresStorage>()?.Target,
            PostgresAvailable = () => sp.GetService<PostgresReachability>()?.Reachable ?? false,
            Ledger = () => LedgerBacklog.Of(sp.GetRequiredService<LedgerWriter>()),
        });
        if (!shared)
        {
            // One instance alone: key state in memory, saved to the data folder and restored at start.
            services.AddSingleton<IKeyStateStore, InMemoryKeyStateStore>();
            services.AddSingleton<IQuotaStore, QuotaBook>();
            services.AddSingleton<IBudgetStore>(sp => new BudgetBook(sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IClientRateLimits>(sp => sp.GetRequiredService<ClientRateLimits>());
            services.AddSingleton<IKeyStateArchive>(_ => new SqliteKeyStateArchive(options.DataDirectory));
            services.AddHostedService<KeyStateLifetime>();
        }

        AddRecords(services, options);
        services.AddSingleton(sp => new LedgerWriter(
            sp.GetRequiredService<ILedgerStore>(),
            sp.GetRequiredService<TimeProvider>(),
            options.Ledger,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<LedgerWriter>(),
            batchWindowTime: options.LedgerBatchWindowTime));
        services.AddSingleton<InMemoryKeyUsage>();
        services.TryAddSingleton<IKeyUsage>(sp => sp.GetRequiredService<InMemoryKeyUsage>());
        services.AddSingleton<ILedgerSink>(sp => new LiveLedgerSink(
            new MetricsLedgerSink(
                new KeyUsageLedgerSink(sp.GetRequiredService<LedgerWriter>(), sp.GetRequiredService<InMemoryKeyUsage>()),
                sp.GetRequiredService<GatewayMetrics>()),
            sp.GetRequiredService<LiveRequests>()));
        services.AddHostedService<LedgerLifetime>();
        services.AddHostedService<LedgerRetention>();
        services.AddSingleton<StoredResponses>();
        services.AddHostedService<ResponseRetention>();

        // After the ledger is open (hosted services start in this order), before the first request.
        services.AddHostedService<BudgetSeeding>();
        services.AddSingleton(sp => new RouteHealth(
            options.Config.Breaker, sp.GetRequiredService<TimeProvider>(), sp.GetService<SharedState>()?.Breakers));
        services.TryAddSingleton<IRouteSpeed>(sp => sp.GetRequiredService<RouteHealth>().Speed);
        services.AddSingleton(_ => UpstreamClient.CreateDefault(options.Config.Timeouts.Connect));
        services.AddSingleton(sp =>
        {
            // Resolved once: the calculator reads the current config on every call it prices.
            var configs = sp.GetRequiredService<ConfigHolder>();
            return new CostCalculator(
                () => configs.Current,
                sp.GetRequiredService<PriceBooks>(),
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<CostCalculator>());
        });
        services.AddSingleton(sp => new FallbackEngine(
            sp.GetRequiredService<UpstreamClient>(),
            sp.GetRequiredService<IKeyStateStore>(),
            sp.GetRequiredService<IQuotaStore>(),
            sp.GetRequiredService<IBudgetStore>(),
            sp.GetRequiredService<ILedgerSink>(),
            sp.GetRequiredService<CostCalculator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<FallbackEngine>(),
            engineOptions,
            [new OpenAIUpstreamProtocol(), new AnthropicUpstreamProtocol(), new GeminiUpstreamProtocol(), new ResponsesUpstreamProtocol()],
            sp.GetRequiredService<RouteHealth>(),
            sp.GetService<ISpendJournal>(),
            sp.GetRequiredService<ShutdownDrain>().GraceOver));
        services.AddSingleton(sp => new EmbeddingsEngine(
            sp.GetRequiredService<UpstreamClient>(),
            sp.GetRequiredService<IKeyStateStore>(),
            sp.GetRequiredService<IQuotaStore>(),
            sp.GetRequiredService<IBudgetStore>(),
            sp.GetRequiredService<ILedgerSink>(),
            sp.GetRequiredService<CostCalculator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<EmbeddingsEngine>(),
            engineOptions,
            sp.GetRequiredService<RouteHealth>(),
            sp.GetService<ISpendJournal>(),
            sp.GetRequiredService<ShutdownDrain>().GraceOver));
        services.AddSingleton<ModelCatalogs>();
        services.AddSingleton<IModelCatalog>(sp => sp.GetRequiredService<ModelCatalogs>());
        services.AddSingleton(sp => new PriceBooks(new CatalogPriceSource(sp.GetRequiredService<IModelCatalog>())));
        services.AddSingleton(sp => new CatalogFetcher(
            CatalogFetcher.CreateHttpClient(options.Config.Timeouts.Connect),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<CatalogSync>();
        services.AddHostedService<CatalogRefresher>();
        services.AddHostedService(sp => new StoredClientsWatcher(
            sp.GetRequiredService<ConfigHolder>(),
            options,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IClientStore>(),
            sp.GetService<SharedState>(),
            sp.GetRequiredService<ILogger<StoredClientsWatcher>>()));
        services.AddSingleton(sp => new RoutePlanner(
            sp.GetRequiredService<IRouteSpeed>(),
            sp.GetRequiredService<IKeyUsage>(),
            sp.GetRequiredService<IModelCatalog>(),
            sp.GetRequiredService<PriceBooks>()));
        services.AddSingleton<ChatDoor>();
        services.AddSingleton<EmbeddingsEndpoints>();
        services.AddSingleton<TokenCounting>();

        var app = builder.Build();
        var drain = app.Services.GetRequiredService<ShutdownDrain>();
        app.Lifetime.ApplicationStopping.Register(() => drain.Begin(options.Config.ShutdownGrace));

        // The shared state connects now, at start, not on the first request that needs it.
        _ = app.Services.GetService<SharedState>();
        TelemetrySetup.RegisterGauges(app.Services);
        app.UseMiddleware<ErrorBoundary>();
        app.UseMetricsEndpoint(app.Services.GetRequiredService<ConfigHolder>());
        app.MapHealthEndpoints();
        app.MapOpenAIEndpoints();
        app.MapAnthropicEndpoints();
        app.MapGeminiEndpoints();
        app.MapResponsesEndpoints();
        EmbeddingsEndpoints.Map(app);
        app.MapCountTokensEndpoint();
        app.MapAdminEndpoints();
        app.MapAdminRoutesEndpoints();
        app.MapAdminResetEndpoints();
        app.MapAdminUsageEndpoints();
        app.MapAdminCatalogEndpoints();
        app.MapAdminClientsEndpoints();
        app.MapAdminModelsEndpoints();
        app.MapAdminLiveEndpoints();
        app.MapDashboardEndpoints();
        return app;
    }

    /// <summary>
    /// Records (the ledger, the stored clients, the saved model catalog and the stored responses) in the data folder's SQLite file, or in
    /// PostgreSQL when <c>storage.postgres</c> is configured: one set for every instance, migrated at start under a lock.
    /// </summary>
    private static void AddRecords(IServiceCollection services, SpillwayAppOptions options)
    {
        if (options.Config.Storage.Postgres?.Reveal() is not { } postgres)
        {
            services.AddSingleton(_ => new SqliteLedgerStore(options.DataDirectory));
            services.AddSingleton<ILedgerStore>(sp => sp.GetRequiredService<SqliteLedgerStore>());
            services.AddSingleton<ILedgerUsage>(sp => sp.GetRequiredService<SqliteLedgerStore>());
            if (options.Config.Storage.Redis is null)
            {
                // Budgets live in this process: their paid spend is journaled before each answer completes, and the
                // start-up seeding reads the ledger and what the journal holds beyond it.
                services.AddSingleton(sp => new SqliteSpendJournal(options.DataDirectory, sp.GetRequiredService<SqliteLedgerStore>()));
                services.AddSingleton<ISpendJournal>(sp => sp.GetRequiredService<SqliteSpendJournal>());
                services.AddSingleton<IClientSpendHistory>(sp => sp.GetRequiredService<SqliteSpendJournal>());
            }
            else
            {
                services.AddSingleton<IClientSpendHistory>(sp => sp.GetRequiredService<SqliteLedgerStore>());
            }

            services.AddSingleton<ICatalogStore>(_ => new SqliteCatalogStore(options.DataDirectory));
            services.AddSingleton<IClientStore>(_ => new SqliteClientStore(options.DataDirectory));
            services.AddSingleton<IResponseStore>(_ => new SqliteResponseStore(options.DataDirectory));
            return;
        }

        services.AddSingleton(sp => PostgresStorage.Create(postgres, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ILedgerStore>(sp => sp.GetRequiredService<PostgresStorage>().Ledger);
        services.AddSingleton<ILedgerUsage>(sp => sp.GetRequiredService<PostgresStorage>().Ledger);
        services.AddSingleton<IClientSpendHistory>(sp => sp.GetRequiredService<PostgresStorage>().Ledger);
        services.AddSingleton<ICatalogStore>(sp => sp.GetRequiredService<PostgresStorage>().Catalog);
        services.AddSingleton<IClientStore>(sp => sp.GetRequiredService<PostgresStorage>().Clients);
        services.AddSingleton<IResponseStore>(sp => sp.GetRequiredService<PostgresStorage>().Responses);
        services.AddSingleton<PostgresReachability>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresReachability>());
    }

    /// <summary>
    /// With Redis configured, the live key state several instances agree on lives there. The connection is made when
    /// the services are first built, at start, before the first request: waiting for it once there is what lets every
    /// store be an ordinary singleton.
    /// </summary>
    /// <returns>False when no Redis is configured.</returns>
    private static bool AddSharedState(IServiceCollection services, SpillwayAppOptions options)
    {
        if (options.Config.Storage.Redis?.Reveal() is not { } redis)
        {
            return false;
        }

        services.AddSingleton(sp => SharedState.ConnectAsync(
            redis, options.Config.Breaker, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()).GetAwaiter().GetResult());
        services.AddSingleton<IClientRateLimits>(sp =>
        {
            var shared = sp.GetRequiredService<SharedState>();
            return new SharedClientRateLimits(shared.Redis, shared.ClientLimits, sp.GetRequiredService<ClientRateLimits>());
        });
        services.AddSingleton<IKeyStateStore>(sp => sp.GetRequiredService<SharedState>().Keys);
        services.AddSingleton<IQuotaStore>(sp => sp.GetRequiredService<SharedState>().Quotas);
        services.AddSingleton<IBudgetStore>(sp => sp.GetRequiredService<SharedState>().Budgets);
        return true;
    }

    /// <summary>The first address Kestrel bound, once started (resolves port 0).</summary>
    public static Uri BoundAddress(this WebApplication app) => new(app.Urls.First());

    /// <summary><paramref name="address"/> as this machine reaches it: a wildcard bind (0.0.0.0, [::]) at loopback.</summary>
    public static Uri Reachable(Uri address) =>
        address.Host is "0.0.0.0" or "[::]" ? new UriBuilder(address) { Host = "127.0.0.1" }.Uri : address;
}
