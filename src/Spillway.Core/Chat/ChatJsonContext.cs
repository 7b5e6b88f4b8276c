using System.Text.Json.Serialization;

namespace Spillway.Core.Chat;

/// <summary>Source-generated serialization of the few plain values the codecs write whole (no reflection).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
