namespace Spillway.Core.Failures.Classification;

/// <summary>What a rate limit counts.</summary>
internal enum LimitKind
{
    Unknown,
    Requests,
    Tokens,
}
