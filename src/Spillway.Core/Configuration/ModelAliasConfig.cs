using System.Collections.Immutable;

namespace Spillway.Core.Configuration;

/// <summary>A model name clients may ask for, standing for a chain of <c>provider/model</c> routes.</summary>
public sealed record ModelAliasConfig(string Id, RoutingStrategy Strategy, ImmutableArray<string> Route);
