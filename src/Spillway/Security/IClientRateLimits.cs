using Spillway.Core.Configuration;

namespace Spillway.Security;

/// <summary>Each client's <c>rpm</c>: in this process (<see cref="ClientRateLimits"/>) or shared by every instance.</summary>
internal interface IClientRateLimits
{
    /// <summary>True when the client may make one more request now; else how long until it may.</summary>
    ValueTask<(bool Admitted, TimeSpan RetryAfter)> TryAcquireAsync(ClientKeyConfig client, CancellationToken cancellationToken);
}
