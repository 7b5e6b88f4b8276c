using System.Text;
using Microsoft.Extensions.Logging;
using Spillway.Core.Configuration.Loading;
using Spillway.Core.Providers;
using Spillway.Core.Secrets;
using Spillway.Simulator;
using Spillway.Storage.Sqlite;
using Spillway.TestSupport;
using Spillway.Tests.Support;

namespace Spillway.Tests.Hosting;

/// <summary>
/// A real gateway whose provider keys come from the vault, after requests that succeed and requests that fail:
/// the raw keys are nowhere in the database files, the logs or any admin API output; only ids and last four are.
/// </summary>
public sealed class StoredKeysLeakTests : IDisposable
{
    private const string GroqKey = "gsk_vault_leak_test_groq_0123456789abcdefLK01";
    private const string OpenAIKey = "sk-vault-leak-test-openai-0123456789abcdefLK02";

    private static readonly Dictionary<string, string?> NoVariables = [];

    private readonly TempDirectory _data = new(create: false);

    public void Dispose()
    {
        _data.Dispose();
    }

    [Fact]
    public async Task Gateway_KeysFromTheVault_NoRawKeyInDatabaseLogsOrAdminApi()
    {
        string masterKey;
        IReadOnlyList<StoredKey> stored;
        var vault = new KeyVault(new SqliteKeyVaultStore(_data.Path), TimeProvider.System);
        using (var master = MasterKeySource.Resolve(_data.Path, NoVariables, [], create: true)!)
        {
            masterKey = master.Key.ToBase64();
            await vault.AddAsync(master, "groq-vault", "groq", KeyTier.Free, KeyLimits.Unknown, new Secret(GroqKey), CancellationToken.None);
            await vault.AddAsync(master, "openai-vault", "openai", KeyTier.Paid, KeyLimits.Unknown, new Secret(OpenAIKey), CancellationToken.None);
            stored = await vault.OpenAllAsync(master, CancellationToken.None);
        }

        var logs = new CapturedLogs();
        var seen = new List<(string What, string Text)>();
        await using (var gateway = await TestGateway.StartAsync(
            [new SimulatedProvider("groq", SimulatorStyle.Groq), new SimulatedProvider("openai")],
            (_, config) => StoredKeysMerge.Merge(config with { Providers = [.. config.Providers.Select(p => p with { Keys = [] })] }, stored),
            dataDirectory: _data.Path,
            logLevel: LogLevel.Debug,
            logging: builder =>
            {
                builder.ClearProviders();
                builder.AddProvider(logs);
            }))
        {
            // Served, streamed, through the Anthropic door, then a 429 that falls back, a 401 and a chain with nothing left.
            await SendAsync(seen, "chat ok", () => gateway.ChatAsync("chain"), expectOk: true);
            await SendAsync(seen, "chat stream ok", () => gateway.ChatAsync("chain", stream: true), expectOk: true);
            await SendAsync(seen, "messages ok", () => gateway.MessagesAsync("chain"), expectOk: true);
            gateway["groq"].Enqueue(SimulatedFault.RateLimited(TimeSpan.FromMinutes(5)));
            await SendAsync(seen, "chat after 429", () => gateway.ChatAsync("chain"), expectOk: true);
            gateway["openai"].Enqueue(SimulatedFault.Unauthorized());
            await SendAsync(seen, "chat 401", () => gateway.ChatAsync("openai/gpt-4o-mini"), expectOk: false);
            await SendAsync(seen, "chat nothing left", () => gateway.ChatAsync("chain", stream: true), expectOk: false);

            Assert.NotEmpty(gateway["groq"].CallsFor(GroqKey));
            Assert.NotEmpty(gateway["openai"].CallsFor(OpenAIKey));

            foreach (var path in new[] { "/admin/keys", "/admin/requests?limit=100", "/admin/routes", "/admin/usage", "/admin/catalog/free", "/admin/clients", "/v1/models", "/healthz" })
            {
                using var response = await gateway.Http.GetAsync(path);
                seen.Add((path, Describe(response) + await response.Content.ReadAsStringAsync()));
            }

            seen.AddRange(DatabaseFiles("while serving"));
        }

        seen.AddRange(DatabaseFiles("after shutdown"));
        seen.Add(("logs", string.Join('\n', logs.Lines)));
        Assert.NotEmpty(logs.Lines);

        foreach (var (what, text) in seen)
        {
            foreach (var secret in new[] { GroqKey, OpenAIKey, masterKey })
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{what} holds a raw key");
                Assert.False(text.Contains(Base64(secret), StringComparison.Ordinal), $"{what} holds a key in base64");
            }
        }

        var keys = seen.Single(s => s.What == "/admin/keys").Text;
        Assert.Contains("\"groq-vault\"", keys, StringComparison.Ordinal);
        Assert.Contains("\"openai-vault\"", keys, StringComparison.Ordinal);
        Assert.Contains("LK01", keys, StringComparison.Ordinal);
        Assert.Contains("LK02", keys, StringComparison.Ordinal);
        Assert.Contains("openai-vault", seen.Single(s => s.What.StartsWith("/admin/requests", StringComparison.Ordinal)).Text, StringComparison.Ordinal);
    }

    private static async Task SendAsync(List<(string What, string Text)> seen, string what, Func<Task<HttpResponseMessage>> send, bool expectOk)
    {
        using var response = await send();
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode == expectOk, $"{what}: {(int)response.StatusCode} {body}");
        seen.Add((what, Describe(response) + body));
    }

    private static string Describe(HttpResponseMessage response) =>
        string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => h.Key + ": " + string.Join(", ", h.Value))) + "\n";

    /// <summary>The raw bytes of <c>spillway.db</c> and its WAL and shared-memory files, read as Latin-1 (one char per
    /// byte, so a byte search is a string search) and as UTF-16.</summary>
    private IEnumerable<(string What, string Text)> DatabaseFiles(string when)
    {
        var files = Directory.GetFiles(_data.Path, SqliteLedgerStore.FileName + "*");
        Assert.Contains(files, f => f.EndsWith(SqliteLedgerStore.FileName, StringComparison.Ordinal));
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            yield return ($"{Path.GetFileName(file)} {when}", Encoding.Latin1.GetString(bytes));
            yield return ($"{Path.GetFileName(file)} {when} as UTF-16", Encoding.Unicode.GetString(bytes));
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
