namespace Spillway.Core.Budgets;

/// <summary>
/// One paid call of a budgeted client as the spend journal keeps it: enough to count its money against the budget and,
/// when the process was killed before the ledger got the request, to put a ledger entry for it back.
/// </summary>
/// <param name="RequestId">The request's ledger id.</param>
/// <param name="Call">The call's number within the request (a continued stream makes several).</param>
/// <param name="ClientId">The client whose budget it comes out of.</param>
/// <param name="At">When it was spent.</param>
/// <param name="CostUsd">What it cost.</param>
/// <param name="Route">The <c>provider/model</c> that answered.</param>
/// <param name="KeyId">The key's id (never the key).</param>
/// <param name="RequestedModel">What the client asked for (an alias or a route).</param>
/// <param name="ClientFormat">The API the client spoke.</param>
/// <param name="Stream">True when the client asked for a stream.</param>
public sealed record JournaledCall(
    string RequestId,
    int Call,
    string ClientId,
    DateTimeOffset At,
    decimal CostUsd,
    string Route,
    string KeyId,
    string RequestedModel,
    string ClientFormat,
    bool Stream);
