namespace Spillway.Core.Chat;

/// <summary>
/// A chat request in the gateway's own terms: what every client codec decodes into and every upstream codec
/// encodes from. Only what at least two formats share is a property; the rest rides in <see cref="Extensions"/>.
/// </summary>
public sealed record ChatRequest
{
    /// <summary>The model id as the client sent it.</summary>
    public required string Model { get; init; }

    /// <summary>The system prompt as text parts, each keeping its own hints (Anthropic <c>cache_control</c>).</summary>
    public IReadOnlyList<TextPart> System { get; init; } = [];

    /// <summary>The conversation, oldest first.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>The tools the model may call.</summary>
    public IReadOnlyList<ChatTool> Tools { get; init; } = [];

    /// <summary>The constraint on tool use, or null for the provider's default.</summary>
    public ChatToolChoice? ToolChoice { get; init; }

    /// <summary>Whether several tool calls may come in one turn; null for the provider's default.</summary>
    public bool? ParallelToolCalls { get; init; }

    /// <summary>Texts that end the answer when produced.</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>The most output tokens (reasoning included), or null when the caller gave none.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Sampling temperature, or null.</summary>
    public double? Temperature { get; init; }

    /// <summary>Nucleus sampling, or null.</summary>
    public double? TopP { get; init; }

    /// <summary>Top-k sampling, or null.</summary>
    public int? TopK { get; init; }

    /// <summary>Best-effort determinism seed, or null.</summary>
    public long? Seed { get; init; }

    /// <summary>The answer's shape, or null for free text.</summary>
    public ChatResponseFormat? ResponseFormat { get; init; }

    /// <summary>Reasoning settings, or null for the provider's default.</summary>
    public ChatThinking? Thinking { get; init; }

    /// <summary>An opaque id of the end user (OpenAI <c>user</c>, Anthropic <c>metadata.user_id</c>), or null.</summary>
    public string? UserId { get; init; }

    /// <summary>True when the answer is to be streamed.</summary>
    public bool Stream { get; init; }

    /// <summary>True when the caller asked for usage at the end of a stream.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>Vendor-only request fields and headers (<c>context_management</c>, <c>anthropic-beta</c>, <c>service_tier</c>, …).</summary>
    public ChatExtensions Extensions { get; init; } = ChatExtensions.Empty;
}
