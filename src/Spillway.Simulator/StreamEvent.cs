namespace Spillway.Simulator;

/// <summary>One <c>data:</c> event of a streamed answer: its role and its JSON.</summary>
internal readonly record struct StreamEvent(StreamEventKind Kind, byte[] Json);
