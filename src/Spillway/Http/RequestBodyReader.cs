using System.IO.Pipelines;
using Spillway.Core.Buffers;

namespace Spillway.Http;

/// <summary>Reads a request body once into a pooled buffer, refusing it as soon as it passes the limit.</summary>
internal static class RequestBodyReader
{
    /// <summary>The body, or null when it is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<PooledBufferWriter?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var output = new PooledBufferWriter((int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes));
        try
        {
            var reader = request.BodyReader;
            while (true)
            {
                ReadResult result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                if (output.WrittenCount + buffer.Length > maxBytes)
                {
                    reader.AdvanceTo(buffer.End);
                    output.Dispose();
                    return null;
                }

                foreach (var segment in buffer)
                {
                    segment.Span.CopyTo(output.GetSpan(segment.Length));
                    output.Advance(segment.Length);
                }

                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    return output;
                }
            }
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }
}
