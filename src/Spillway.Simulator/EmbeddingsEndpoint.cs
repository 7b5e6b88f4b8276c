using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Spillway.Simulator;

/// <summary>
/// Embeddings in the real wire formats, with deterministic vectors: the same text, model and length always give the
/// same unit vector (its values drawn from SHA-256 of the three), so a test can tell which texts were embedded and
/// compare answers across hosts. <see cref="DefaultDimensions"/> is the simulated models' own length; a request's
/// <c>dimensions</c> / <c>outputDimensionality</c> shortens (or lengthens) it. Each call goes through the shared
/// <see cref="CallFlow"/>, so it is recorded, takes scripted faults and counts against the key's free quota like a
/// chat call.
/// <list type="bullet">
/// <item>OpenAI styles: <c>POST /{provider}/v1/embeddings</c> <c>{model, input, dimensions?, encoding_format?}</c> →
/// <c>{"object":"list","data":[{"object":"embedding","index","embedding"}],"model","usage":{"prompt_tokens","total_tokens"}}</c>
/// (base64: the float32 little-endian bytes).</item>
/// <item>Gemini native: <c>models/{m}:embedContent</c> <c>{content:{parts:[{text}]}, outputDimensionality?}</c> →
/// <c>{"embedding":{"values":[…]}}</c>; <c>:batchEmbedContents</c> <c>{requests:[{model:"models/{m}", content, …}]}</c> →
/// <c>{"embeddings":[{"values":[…]}]}</c>. No usage: the real answers carry none.</item>
/// </list>
/// </summary>
internal static class EmbeddingsEndpoint
{
    /// <summary>The length of a simulated model's vectors when the request does not ask for another.</summary>
    public const int DefaultDimensions = 256;

    public static async Task HandleOpenAIAsync(HttpContext context, SimulatedProvider provider, SimulatorRuntime runtime)
    {
        var body = await CallFlow.ReadBodyAsync(context.Request, context.RequestAborted);
        var parsed = ParseOpenAI(body);
        await CallFlow.RunAsync(context, provider, runtime, new IncomingCall(ChatCompletionsEndpoint.BearerKey(context.Request), body, parsed.Request), (_, headers, fault, _) =>
        {
            var answer = JsonBody.Write(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("object", "list");
                writer.WriteStartArray("data");
                for (var i = 0; i < parsed.Inputs.Count; i++)
                {
                    writer.WriteStartObject();
                    writer.WriteString("object", "embedding");
                    writer.WriteNumber("index", i);
                    var vector = Vector(parsed.Inputs[i], parsed.Request.Model!, parsed.Dimensions);
                    if (parsed.Base64)
                    {
                        var bytes = new byte[vector.Length * sizeof(float)];
                        for (var v = 0; v < vector.Length; v++)
                        {
                            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(v * sizeof(float)), vector[v]);
                        }

                        writer.WriteString("embedding", Convert.ToBase64String(bytes));
                    }
                    else
                    {
                        writer.WriteStartArray("embedding");
                        foreach (var value in vector)
                        {
                            writer.WriteNumberValue(value);
                        }

                        writer.WriteEndArray();
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteString("model", parsed.Request.Model);
                writer.WriteStartObject("usage");
                writer.WriteNumber("prompt_tokens", parsed.Request.PromptTokens);
                writer.WriteNumber("total_tokens", parsed.Request.PromptTokens);
                writer.WriteEndObject();
                writer.WriteEndObject();
            });
            return CompletionResponder.WriteAsync(context, answer, headers, fault);
        });
    }

    public static async Task HandleGeminiAsync(HttpContext context, SimulatedProvider provider, SimulatorRuntime runtime, string model, bool batch)
    {
        var body = await CallFlow.ReadBodyAsync(context.Request, context.RequestAborted);
        var parsed = ParseGemini(body, model, batch);
        await CallFlow.RunAsync(context, provider, runtime, new IncomingCall(GeminiEndpoint.ApiKey(context.Request), body, parsed.Request), (_, headers, fault, _) =>
        {
            var answer = JsonBody.Write(writer =>
            {
                writer.WriteStartObject();
                if (batch)
                {
                    writer.WriteStartArray("embeddings");
                }

                for (var i = 0; i < parsed.Inputs.Count; i++)
                {
                    if (batch)
                    {
                        writer.WriteStartObject();
                    }
                    else
                    {
                        writer.WriteStartObject("embedding");
                    }

                    writer.WriteStartArray("values");
                    foreach (var value in Vector(parsed.Inputs[i], model, parsed.Dimensions))
                    {
                        writer.WriteNumberValue(value);
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }

                if (batch)
                {
                    writer.WriteEndArray();
                }

                writer.WriteEndObject();
            });
            return CompletionResponder.WriteAsync(context, answer, headers, fault);
        });
    }

    /// <summary>The unit vector of <paramref name="text"/> for <paramref name="model"/>, <paramref name="dimensions"/> long.</summary>
    public static float[] Vector(string text, string model, int? dimensions)
    {
        var length = dimensions ?? DefaultDimensions;
        var values = new float[length];
        var seed = SHA256.HashData(Encoding.UTF8.GetBytes($"{model}\n{length}\n{text}"));
        var block = Array.Empty<byte>();
        double sum = 0;
        for (var i = 0; i < length; i++)
        {
            // 8 values per 32-byte block: block n is SHA-256(seed ‖ n).
            if (i % 8 == 0)
            {
                var input = new byte[seed.Length + sizeof(int)];
                seed.CopyTo(input, 0);
                BinaryPrimitives.WriteInt32LittleEndian(input.AsSpan(seed.Length), i / 8);
                block = SHA256.HashData(input);
            }

            var raw = BinaryPrimitives.ReadUInt32LittleEndian(block.AsSpan((i % 8) * 4));
            var value = (raw / (double)uint.MaxValue * 2) - 1;
            values[i] = (float)value;
            sum += value * value;
        }

        var norm = Math.Sqrt(sum);
        for (var i = 0; i < length && norm > 0; i++)
        {
            values[i] = (float)(values[i] / norm);
        }

        return values;
    }

    private static Parsed ParseOpenAI(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Parsed.Rejected(ErrorKind.InvalidJson, null);
            }

            if (!root.TryGetProperty("model", out var modelElement))
            {
                return Parsed.Rejected(ErrorKind.MissingModel, null);
            }

            if (modelElement.ValueKind != JsonValueKind.String)
            {
                return Parsed.Rejected(ErrorKind.InvalidModelType, null);
            }

            var model = modelElement.GetString();
            if (!root.TryGetProperty("input", out var input))
            {
                return Parsed.Rejected(ErrorKind.MissingInput, model);
            }

            var inputs = new List<string>();
            var tokens = 0;
            switch (input.ValueKind)
            {
                case JsonValueKind.String when input.GetString() is { Length: > 0 } one:
                    inputs.Add(one);
                    break;
                case JsonValueKind.Array when input.GetArrayLength() > 0:
                    var first = input[0].ValueKind;
                    if (first == JsonValueKind.Number)
                    {
                        // One list of token ids: one input, named by its ids.
                        inputs.Add(input.GetRawText());
                        tokens = input.GetArrayLength();
                        break;
                    }

                    foreach (var item in input.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } text && first == JsonValueKind.String)
                        {
                            inputs.Add(text);
                        }
                        else if (item.ValueKind == JsonValueKind.Array && first == JsonValueKind.Array && item.GetArrayLength() > 0)
                        {
                            inputs.Add(item.GetRawText());
                            tokens += item.GetArrayLength();
                        }
                        else
                        {
                            return Parsed.Rejected(ErrorKind.InvalidInput, model);
                        }
                    }

                    break;
                default:
                    return Parsed.Rejected(ErrorKind.InvalidInput, model);
            }

            int? dimensions = root.TryGetProperty("dimensions", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var n) && n > 0 ? n : null;
            var base64 = root.TryGetProperty("encoding_format", out var format) && format.ValueKind == JsonValueKind.String && format.GetString() == "base64";
            var prompt = tokens > 0 ? tokens : inputs.Sum(TokensOf);
            return new Parsed(new ChatRequest(null, model, false, false, prompt, null), inputs, dimensions, base64);
        }
        catch (JsonException)
        {
            return Parsed.Rejected(ErrorKind.InvalidJson, null);
        }
    }

    private static Parsed ParseGemini(byte[] body, string model, bool batch)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Parsed.Rejected(ErrorKind.InvalidJson, model);
            }

            var inputs = new List<string>();
            int? dimensions = null;
            if (!batch)
            {
                if (TextOf(root) is not { } text)
                {
                    return Parsed.Rejected(ErrorKind.MissingInput, model);
                }

                inputs.Add(text);
                dimensions = DimensionsOf(root);
            }
            else
            {
                if (!root.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array || requests.GetArrayLength() == 0)
                {
                    return Parsed.Rejected(ErrorKind.MissingInput, model);
                }

                foreach (var request in requests.EnumerateArray())
                {
                    // Each request names the model again; Google refuses one that differs from the path's.
                    if (!request.TryGetProperty("model", out var named) || named.GetString() != "models/" + model)
                    {
                        return Parsed.Rejected(ErrorKind.InvalidInput, model);
                    }

                    if (TextOf(request) is not { } text)
                    {
                        return Parsed.Rejected(ErrorKind.MissingInput, model);
                    }

                    inputs.Add(text);
                    dimensions = DimensionsOf(request);
                }
            }

            return new Parsed(new ChatRequest(null, model, false, false, inputs.Sum(TokensOf), null), inputs, dimensions, false);
        }
        catch (JsonException)
        {
            return Parsed.Rejected(ErrorKind.InvalidJson, model);
        }
    }

    private static string? TextOf(JsonElement request)
    {
        if (!request.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object ||
            !content.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            {
                text.Append(t.GetString());
            }
        }

        return text.Length == 0 ? null : text.ToString();
    }

    private static int? DimensionsOf(JsonElement request) =>
        request.TryGetProperty("outputDimensionality", out var d) && d.ValueKind == JsonValueKind.Number && d.TryGetInt32(out var n) && n > 0 ? n : null;

    /// <summary>A rough token count, as the chat endpoints reckon prompts: UTF-8 bytes / 4, at least one.</summary>
    private static int TokensOf(string text) => Math.Max(1, (Encoding.UTF8.GetByteCount(text) + 3) / 4);

    private sealed record Parsed(ChatRequest Request, IReadOnlyList<string> Inputs, int? Dimensions, bool Base64)
    {
        public static Parsed Rejected(ErrorKind kind, string? model) =>
            new(new ChatRequest(kind, model, false, false, 0, null), [], null, false);
    }
}
