using BenchmarkDotNet.Attributes;
using Spillway.Core.Chat;
using Spillway.Core.Ledger;
using Spillway.Storage.Sqlite;

namespace Spillway.Bench.Micro;

/// <summary>
/// The ledger's write of one request: a batch of entries as the background writer appends them, each the entry of a
/// non-streamed request served by its first route (one attempt), into a real SQLite file. Reported per entry
/// (<c>OperationsPerInvoke</c>); the file grows across iterations as it does in a running gateway.
/// </summary>
[MemoryDiagnoser]
public class LedgerAppendBenchmarks
{
    private const int BatchSize = 64;

    private readonly LedgerEntry[] _batch = new LedgerEntry[BatchSize];
    private string _directory = "";
    private SqliteLedgerStore? _store;
    private long _next;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("spillway-bench-ledger-").FullName;
        _store = new SqliteLedgerStore(_directory);
        _store.InitializeAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [IterationSetup]
    public void NextBatch()
    {
        var time = new DateTimeOffset(2026, 12, 6, 17, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < BatchSize; i++)
        {
            var id = "req_" + (_next++).ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
            _batch[i] = new LedgerEntry
            {
                Id = id,
                Time = time,
                ClientFormat = "openai",
                Model = "bench-one-step",
                Route = "sim/bench-model",
                Status = 200,
                Stream = false,
                Attempts = [new AttemptRecord("sim/bench-model", "sim-1", 200, Outcomes.Ok, 0.412)],
                Usage = new TokenUsage(InputTokens: 20, OutputTokens: 10),
                CostUsd = 0m,
                LatencyMs = 0.583,
            };
        }
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public ValueTask AppendOneRequest() => _store!.AppendAsync(_batch, CancellationToken.None);
}
