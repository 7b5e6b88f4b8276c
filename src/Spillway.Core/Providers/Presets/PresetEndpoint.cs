using Spillway.Core.Chat;

namespace Spillway.Core.Providers.Presets;

/// <summary>One way to reach a vendor: a wire format at a base URL with an auth style.</summary>
public sealed record PresetEndpoint(WireFormat Format, Uri BaseUrl, AuthStyle Auth);
