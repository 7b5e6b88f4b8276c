namespace Spillway.Simulator;

/// <summary>Aborts a connection after the bytes already written have had a chance to reach the client.</summary>
internal static class TransportSettle
{
    // Kestrel's FlushAsync completes when the bytes are in its output pipe, not when the socket sent them;
    // aborting right away can drop them, and a "failed after N events" test would then see fewer than N.
    // This is a transport matter, so it is real time, not the simulator's (possibly fake) clock.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    public static async Task AbortAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Settle, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client left already; aborting is still right.
        }

        context.Abort();
    }
}
