namespace Spillway.Core.Ledger;

/// <summary>
/// A Responses API answer kept for <c>previous_response_id</c>, <c>GET</c> and <c>DELETE /v1/responses/{id}</c>.
/// </summary>
/// <param name="Id">The <c>resp_…</c> id the client saw.</param>
/// <param name="ClientId">The client that made it (<see cref="IResponseStore.LoopbackClient"/> when no client keys are
/// configured): no other client can read, continue or delete it.</param>
/// <param name="CreatedAt">When it was kept, from the gateway's clock; retention counts from here.</param>
/// <param name="Response">The response object exactly as the client got it (UTF-8 JSON).</param>
/// <param name="InputItems">The conversation that led to it, as a JSON array of Responses input items: the earlier turns
/// it continued (their input and output items) and its own input. <c>instructions</c> are not among them.</param>
public sealed record StoredResponse(string Id, string ClientId, DateTimeOffset CreatedAt, ReadOnlyMemory<byte> Response, ReadOnlyMemory<byte> InputItems);
