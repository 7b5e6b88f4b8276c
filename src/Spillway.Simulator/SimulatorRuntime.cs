namespace Spillway.Simulator;

/// <summary>What every endpoint shares: the simulator's clock and the token that fires when it stops.</summary>
internal sealed record SimulatorRuntime(TimeProvider Time, CancellationToken Stopping);
