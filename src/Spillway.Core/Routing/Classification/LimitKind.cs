namespace Spillway.Core.Routing.Classification;

/// <summary>What a rate limit counts.</summary>
internal enum LimitKind
{
    Unknown,
    Requests,
    Tokens,
}
