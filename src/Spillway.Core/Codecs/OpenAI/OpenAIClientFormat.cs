using System.Buffers;
using Spillway.Core.Routing;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>Errors as OpenAI clients expect them: <c>{"error":{"message","type","param","code"}}</c>,
/// and mid-stream as <c>data: {"error":{...}}</c> with no <c>[DONE]</c>.</summary>
public sealed class OpenAIClientFormat : IClientFormat
{
    public static OpenAIClientFormat Instance { get; } = new();

    public string Name => "openai";

    public void WriteError(IBufferWriter<byte> output, ClientError error) =>
        OpenAIErrorWriter.WriteBody(output, error.Message, error.Type, error.Param, error.Code);

    public void WriteStreamError(IBufferWriter<byte> output, ClientError error) =>
        OpenAIErrorWriter.WriteStreamError(output, error.Message, error.Type, error.Param, error.Code);
}
