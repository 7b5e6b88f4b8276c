using Spillway.Core.Codecs;
using Spillway.Core.Failures;

namespace Spillway.Core.Engine;

public sealed partial class FallbackEngine
{
    /// <summary>No step served: one error in the client's format, with the attempt trail in the message. No
    /// <c>x-spillway-route</c> (no route served it); <c>x-spillway-tried</c> names the routes called.</summary>
    private Task WriteFinalErrorAsync(
        ChatCall call, IClientResponse client, RequestState state, FailureClassification? stopper, CancellationToken aborted) =>
        ChainErrors.WriteFinalAsync(
            _admission, call.Plan, call.RequestId, call.RequestedModel, call.Client, client, state, stopper, _time.GetUtcNow(), aborted);
}
