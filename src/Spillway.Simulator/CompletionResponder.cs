namespace Spillway.Simulator;

/// <summary>Sends a non-streamed JSON answer (any wire format), or breaks it when a fault says so.</summary>
internal static class CompletionResponder
{
    public static async Task WriteAsync(
        HttpContext context,
        byte[] body,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        SimulatedFault? fault)
    {
        switch (fault?.Kind)
        {
            case SimulatedFaultKind.FailMidStream:
                {
                    // The connection drops halfway through the body: announce the full length, send half, abort.
                    // Both failure variants end this way: an error chunk only exists in a stream.
                    StartJson(context, headers, body.Length);
                    await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await TransportSettle.AbortAsync(context);
                    return;
                }

            case SimulatedFaultKind.MalformedEvent:
                {
                    // A 200 whose JSON is cut short, but complete as HTTP: the client must fail on parsing.
                    var half = body.AsMemory(0, body.Length / 2);
                    StartJson(context, headers, half.Length);
                    await context.Response.Body.WriteAsync(half, context.RequestAborted);
                    return;
                }

            default:
                StartJson(context, headers, body.Length);
                await context.Response.Body.WriteAsync(body, context.RequestAborted);
                return;
        }
    }

    private static void StartJson(HttpContext context, IReadOnlyList<KeyValuePair<string, string>> headers, int length)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        foreach (var (name, value) in headers)
        {
            response.Headers[name] = value;
        }

        response.ContentLength = length;
    }
}
