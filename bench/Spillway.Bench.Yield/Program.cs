using Spillway.Bench.Yield;

return await YieldBench.RunAsync(args);
