using System.Globalization;
using Spillway.Core.Buffers;
using Spillway.Core.Codecs;
using Spillway.Core.Failures;

namespace Spillway.Core.Engine;

public sealed partial class FallbackEngine
{
    /// <summary>No step served: one error in the client's format, with the attempt trail in the message. No
    /// <c>x-spillway-route</c> (no route served it); <c>x-spillway-tried</c> names the routes called.</summary>
    private async Task WriteFinalErrorAsync(
        ChatCall call, IClientResponse client, RequestState state, FailureClassification? stopper, CancellationToken aborted)
    {
        var now = _time.GetUtcNow();
        var error = ChainErrors.Final(_admission, call.Plan, call.RequestedModel, state, stopper, now, out var retryAt);
        state.ClientStatus = error.Status;
        state.Error = error.Message;
        if (client.HasStarted)
        {
            return;
        }

        client.SetHeader(SpillwayHeaders.RequestId, call.RequestId);
        client.SetHeader(SpillwayHeaders.Attempts, state.UpstreamCalls.ToString(CultureInfo.InvariantCulture));
        ServedHeaders.SetTried(client, state);

        if (retryAt is { } at)
        {
            client.SetHeader("Retry-After", ChainErrors.RetryAfterSeconds(at, now).ToString(CultureInfo.InvariantCulture));
        }

        using var body = new PooledBufferWriter(1024);
        call.Client.WriteError(body, error);
        await client.StartAsync(error.Status, "application/json", aborted);
        Write(client, body.WrittenSpan);
        await client.FlushAsync(aborted);
    }
}
