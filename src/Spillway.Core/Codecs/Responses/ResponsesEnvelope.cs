using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Responses;

/// <summary>What the response object says around its output.</summary>
/// <param name="Id">The <c>resp_…</c> id.</param>
/// <param name="CreatedAt">Unix seconds.</param>
/// <param name="Model">The model that answers.</param>
/// <param name="Request">The client's request, for the fields the object echoes; null when unknown.</param>
internal sealed record ResponsesEnvelope(string Id, long CreatedAt, string Model, ChatRequest? Request);
