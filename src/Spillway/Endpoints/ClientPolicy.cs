using Spillway.Core.Configuration;
using Spillway.Core.Engine;
using Spillway.Core.Planning;

namespace Spillway.Endpoints;

/// <summary>The routing policy a caller asks for: its key's <c>allow_paid</c> and <c>data_policy</c>, and the
/// <c>x-spillway-*</c> request headers (which can only narrow what the client's settings allow).</summary>
internal static class ClientPolicy
{
    public static RequestPolicy Of(HttpRequest request, ClientKeyConfig? client)
    {
        var freeOnly = client is { AllowPaid: false } ||
                       string.Equals(request.Headers[SpillwayHeaders.MaxTier], "free", StringComparison.OrdinalIgnoreCase);
        var noTrain = client is { NoTrain: true } || string.Equals(request.Headers[SpillwayHeaders.DataPolicy], "no-train", StringComparison.OrdinalIgnoreCase);
        return freeOnly || noTrain ? new RequestPolicy(freeOnly, noTrain) : RequestPolicy.Default;
    }
}
