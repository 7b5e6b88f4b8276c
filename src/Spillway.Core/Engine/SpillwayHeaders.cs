namespace Spillway.Core.Engine;

/// <summary>The <c>x-spillway-*</c> header names of the contract.</summary>
public static class SpillwayHeaders
{
    public const string RequestId = "x-spillway-request-id";
    public const string Route = "x-spillway-route";
    public const string Attempts = "x-spillway-attempts";

    /// <summary>The routes actually called for the request, in order, each once, comma-separated.</summary>
    public const string Tried = "x-spillway-tried";
    public const string CostUsd = "x-spillway-cost-usd";
    public const string Demo = "x-spillway-demo";
    public const string DataPolicy = "x-spillway-data-policy";
    public const string MaxTier = "x-spillway-max-tier";
}
