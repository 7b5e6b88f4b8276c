using Spillway.Core.Failures;
using Spillway.Core.Providers;

namespace Spillway.Core.Engine;

public sealed partial class FallbackEngine
{
    /// <summary>
    /// The failure with the step's own key masked in its reason. Reasons already lose anything shaped like a key
    /// (<see cref="KeyScrubber"/>); an upstream that echoes the key it was sent ("Incorrect API key provided: …")
    /// may echo one of no known shape, and the reason goes to the client, the ledger, the admin API and the logs.
    /// </summary>
    private static FailureClassification Scrubbed(FailureClassification failure, RouteStep step)
    {
        var reason = KeyScrubber.Scrub(failure.Reason, step.Key.Value);
        return ReferenceEquals(reason, failure.Reason) ? failure : failure with { Reason = reason };
    }
}
