namespace Spillway.Core.Planning;

/// <summary>What the caller allows for this request (client settings and <c>x-spillway-*</c> request headers).</summary>
/// <param name="FreeOnly">Never spill to a paid key (<c>x-spillway-max-tier: free</c>, or a client without <c>allow_paid</c>).</param>
/// <param name="NoTrain">Skip providers that may train on prompts (<c>x-spillway-data-policy: no-train</c>).</param>
public sealed record RequestPolicy(bool FreeOnly = false, bool NoTrain = false)
{
    public static RequestPolicy Default { get; } = new();
}
