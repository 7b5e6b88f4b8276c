using System.Text;

namespace Spillway.Simulator;

/// <summary>
/// <c>POST /{provider}/v1beta/models/{model}:generateContent</c> and <c>:streamGenerateContent</c> (and
/// <c>:countTokens</c>, handed to <see cref="GeminiCountTokensEndpoint"/>; <c>:embedContent</c> and
/// <c>:batchEmbedContents</c>, handed to <see cref="EmbeddingsEndpoint"/>) for the
/// <see cref="SimulatorStyle.GeminiNative"/> style. The key comes from <c>x-goog-api-key</c> or <c>?key=</c>,
/// the model from the path (a doubled <c>models/</c> prefix, which some clients send when they are given a
/// full resource name, is accepted and dropped). Streaming with <c>?alt=sse</c> gives SSE chunks; without it,
/// one JSON array of the same chunks. Then the shared <see cref="CallFlow"/>.
/// </summary>
internal static class GeminiEndpoint
{
    private const string ModelsPrefix = "models/";

    public static async Task HandleAsync(HttpContext context, SimulatedProvider provider, SimulatorRuntime runtime)
    {
        var target = context.Request.RouteValues["target"] as string ?? string.Empty;
        var colon = target.LastIndexOf(':');
        var method = colon < 0 ? string.Empty : target[(colon + 1)..];
        if (method == "countTokens")
        {
            await GeminiCountTokensEndpoint.HandleAsync(context, provider, runtime, ModelOf(target[..colon]));
            return;
        }

        if (method is "embedContent" or "batchEmbedContents")
        {
            await EmbeddingsEndpoint.HandleGeminiAsync(context, provider, runtime, ModelOf(target[..colon]), batch: method == "batchEmbedContents");
            return;
        }

        if (method is not ("generateContent" or "streamGenerateContent"))
        {
            // Not a method the simulator serves: Google's plain 404, unrecorded.
            var notFound = new ErrorFacts(ErrorKind.ModelNotFound, colon < 0 ? target : target[..colon], 0, TimeSpan.Zero, 0, default, default, default, string.Empty);
            await ChatCompletionsEndpoint.WriteReplyAsync(context, GeminiErrors.Build(notFound, asArray: false));
            return;
        }

        var model = ModelOf(target[..colon]);
        var stream = method == "streamGenerateContent";
        var sse = string.Equals(context.Request.Query["alt"].ToString(), "sse", StringComparison.OrdinalIgnoreCase);
        var body = await CallFlow.ReadBodyAsync(context.Request, context.RequestAborted);
        var request = GeminiRequestParser.Parse(body, model, stream);
        await CallFlow.RunAsync(context, provider, runtime, new IncomingCall(ApiKey(context.Request), body, request), (reply, headers, fault, settings) =>
        {
            if (!stream)
            {
                return CompletionResponder.WriteAsync(context, GeminiResponseWriter.Response(reply), headers, fault);
            }

            return sse
                ? StreamResponder.WriteAsync(context, GeminiResponseWriter.Plan(reply), headers, fault, settings.StreamEventDelay, runtime)
                : CompletionResponder.WriteAsync(context, JsonArray(GeminiResponseWriter.Chunks(reply)), headers, fault);
        });
    }

    /// <summary>The model id of a path target, a doubled <c>models/</c> prefix dropped.</summary>
    public static string ModelOf(string target)
    {
        var model = target;
        while (model.StartsWith(ModelsPrefix, StringComparison.Ordinal))
        {
            model = model[ModelsPrefix.Length..];
        }

        return model;
    }

    /// <summary><c>x-goog-api-key</c> first, then <c>?key=</c>; null when neither is sent.</summary>
    public static string? ApiKey(HttpRequest request)
    {
        var header = request.Headers["x-goog-api-key"].ToString().Trim();
        if (header.Length > 0)
        {
            return header;
        }

        var query = request.Query["key"].ToString().Trim();
        return query.Length > 0 ? query : null;
    }

    private static byte[] JsonArray(List<byte[]> items)
    {
        using var buffer = new MemoryStream();
        buffer.WriteByte((byte)'[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                buffer.Write(Encoding.ASCII.GetBytes(",\n"));
            }

            buffer.Write(items[i]);
        }

        buffer.WriteByte((byte)']');
        return buffer.ToArray();
    }
}
