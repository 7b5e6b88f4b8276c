namespace Spillway.Core.Codecs;

/// <summary>The top-level request fields that the rewriter changes itself, recognised once by the sniffer.</summary>
internal enum TopLevelField : byte
{
    Other,
    Model,
    Models,
    StreamOptions,
}
