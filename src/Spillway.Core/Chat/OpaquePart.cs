namespace Spillway.Core.Chat;

/// <summary>
/// Content only one format can carry, kept whole: an Anthropic <c>document</c> block, an OpenAI <c>file</c> or
/// <c>input_audio</c> part. The encoder of <see cref="Format"/> writes <see cref="Json"/> back as it was; every
/// other encoder refuses the request with a message naming <see cref="Type"/>, because dropping it would answer a
/// different question.
/// </summary>
/// <param name="Format">The format the part came from.</param>
/// <param name="Type">Its <c>type</c> in that format (<c>document</c>, <c>file</c>, <c>input_audio</c>, …).</param>
/// <param name="Json">The whole part or block as it arrived.</param>
public sealed record OpaquePart(WireFormat Format, string Type, RawJson Json) : ChatContentPart;
