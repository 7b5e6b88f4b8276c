namespace Spillway.Endpoints;

/// <summary>Ledger ids: time-ordered (UUID v7), so ids sort like the requests they name.</summary>
internal static class RequestIds
{
    /// <summary><c>req_</c> and the id's 32 hex digits, written into one string.</summary>
    public static string New(TimeProvider time) =>
        string.Create(36, Guid.CreateVersion7(time.GetUtcNow()), static (chars, id) =>
        {
            "req_".CopyTo(chars);
            id.TryFormat(chars[4..], out _, "N");
        });
}
