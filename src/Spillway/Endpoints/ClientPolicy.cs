using Spillway.Core.Configuration;
using Spillway.Core.Routing;

namespace Spillway.Endpoints;

/// <summary>The routing policy a caller asks for: its key's <c>allow_paid</c> and the <c>x-spillway-*</c> request headers.</summary>
internal static class ClientPolicy
{
    public static RequestPolicy Of(HttpRequest request, ClientKeyConfig? client)
    {
        var freeOnly = client is { AllowPaid: false } ||
                       string.Equals(request.Headers[SpillwayHeaders.MaxTier], "free", StringComparison.OrdinalIgnoreCase);
        var noTrain = string.Equals(request.Headers[SpillwayHeaders.DataPolicy], "no-train", StringComparison.OrdinalIgnoreCase);
        return freeOnly || noTrain ? new RequestPolicy(freeOnly, noTrain) : RequestPolicy.Default;
    }
}
