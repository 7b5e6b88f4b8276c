using System.Buffers;
using Spillway.Core.Chat;
using Spillway.Core.Routing;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>The OpenAI Chat Completions client: errors as <c>{"error":{"message","type","param","code"}}</c>,
/// and mid-stream as <c>data: {"error":{...}}</c> with no <c>[DONE]</c>.</summary>
public sealed class OpenAIClientFormat : IClientFormat
{
    public static OpenAIClientFormat Instance { get; } = new();

    public string Name => "openai";

    public ChatFormat Format => ChatFormat.OpenAI;

    public ChatResult<ChatRequest> DecodeRequest(ChatCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return OpenAIChatRequestDecoder.Decode(call.Body);
    }

    public ChatResult<EncodedPayload> EncodeResponse(ChatResponse response, ChatCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return OpenAIChatResponseEncoder.Encode(response, call.ReceivedAt.ToUnixTimeSeconds());
    }

    public IChatStreamEncoder CreateStreamEncoder(ChatCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new OpenAIChatStreamEncoder(call.ReceivedAt.ToUnixTimeSeconds(), call.ClientWantsUsage);
    }

    public void WriteError(IBufferWriter<byte> output, ClientError error) =>
        OpenAIErrorWriter.WriteBody(output, error.Message, error.Type, error.Param, error.Code);

    public void WriteStreamError(IBufferWriter<byte> output, ClientError error) =>
        OpenAIErrorWriter.WriteStreamError(output, error.Message, error.Type, error.Param, error.Code);
}
