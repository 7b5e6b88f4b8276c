namespace Spillway.Core.Failures.Classification;

/// <summary>One <c>google.rpc.QuotaFailure</c> violation of a Gemini error (wire-facts §3.6).</summary>
/// <param name="QuotaId">E.g. <c>GenerateRequestsPerDayPerProjectPerModel-FreeTier</c>: the window is in the name.</param>
/// <param name="QuotaValue">The quota's size when stated (<c>"quotaValue": "250000"</c>).</param>
internal readonly record struct QuotaViolation(string QuotaId, long? QuotaValue);
