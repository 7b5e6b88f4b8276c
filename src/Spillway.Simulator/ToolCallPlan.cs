namespace Spillway.Simulator;

/// <summary>The tool call the simulator will answer with: the function name and its JSON-text arguments.</summary>
internal sealed record ToolCallPlan(string Name, string Arguments);
