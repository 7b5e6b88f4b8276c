using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Spillway.Bench.Micro -- --filter '*'` runs them all;
// any BenchmarkDotNet option works (--filter '*Sse*', --job short, --list flat).
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
