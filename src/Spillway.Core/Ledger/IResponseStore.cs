namespace Spillway.Core.Ledger;

/// <summary>
/// Where stored Responses API answers are kept (the ledger's database: SQLite embedded, PostgreSQL for several
/// instances). Every read and delete names the client: a response is visible only to the client that made it.
/// </summary>
public interface IResponseStore
{
    /// <summary>The client id of loopback callers when no client keys are configured: they share their responses.</summary>
    public const string LoopbackClient = "";

    /// <summary>Keeps <paramref name="response"/>, durably, replacing one of the same client and id.</summary>
    ValueTask SaveAsync(StoredResponse response, CancellationToken cancellationToken);

    /// <summary>
    /// The response <paramref name="id"/> of <paramref name="clientId"/> kept at or after <paramref name="notBefore"/>;
    /// null when there is none (never kept, deleted, another client's, or older: expired but not yet swept).
    /// </summary>
    ValueTask<StoredResponse?> FindAsync(string id, string clientId, DateTimeOffset notBefore, CancellationToken cancellationToken);

    /// <summary>Deletes the response <paramref name="id"/> of <paramref name="clientId"/>; false when there was none.</summary>
    ValueTask<bool> DeleteAsync(string id, string clientId, CancellationToken cancellationToken);

    /// <summary>Deletes the responses kept before <paramref name="olderThan"/>, at most <paramref name="batchSize"/> per transaction.</summary>
    /// <returns>How many were deleted.</returns>
    ValueTask<long> PruneAsync(DateTimeOffset olderThan, int batchSize, CancellationToken cancellationToken);
}
