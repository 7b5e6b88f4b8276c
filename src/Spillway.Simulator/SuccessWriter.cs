namespace Spillway.Simulator;

/// <summary>Sends an admitted call's answer in one wire format (JSON or stream), shaped by the stream fault if one was taken.</summary>
internal delegate Task SuccessWriter(
    ChatReply reply,
    IReadOnlyList<KeyValuePair<string, string>> headers,
    SimulatedFault? fault,
    ProviderSettings settings);
