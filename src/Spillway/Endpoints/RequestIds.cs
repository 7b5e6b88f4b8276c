namespace Spillway.Endpoints;

/// <summary>Ledger ids: time-ordered (UUID v7), so ids sort like the requests they name.</summary>
internal static class RequestIds
{
    public static string New(TimeProvider time) => "req_" + Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
}
