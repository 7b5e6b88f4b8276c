namespace Spillway.Serving;

/// <summary>
/// What the endpoints and the HTTP pipeline need to know of how this gateway was started; the hosting fills it from
/// its <c>SpillwayAppOptions</c> (see <c>Hosting/SpillwayApp.cs</c>), which they do not see.
/// </summary>
internal sealed record ServingOptions
{
    /// <summary>The largest request body accepted (413 beyond).</summary>
    public required int MaxRequestBodyBytes { get; init; }

    /// <summary>True when the providers are the built-in demo's simulators.</summary>
    public required bool Demo { get; init; }
}
