namespace Spillway.Core.Telemetry;

/// <summary>
/// Attribute names of the OpenTelemetry GenAI semantic conventions (gen_ai.*), the general ones used beside them, and
/// the gateway's own (spillway.*). Metric labels and span attributes share them.
/// </summary>
public static class GenAiAttributes
{
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string FinishReasons = "gen_ai.response.finish_reasons";
    public const string TokenType = "gen_ai.token.type";
    public const string InputMessages = "gen_ai.input.messages";
    public const string OutputMessages = "gen_ai.output.messages";
    public const string ErrorType = "error.type";
    public const string ServerAddress = "server.address";
    public const string HttpStatus = "http.response.status_code";

    public const string Route = "spillway.route";
    public const string KeyId = "spillway.key_id";
    public const string AttemptOutcome = "spillway.attempt.outcome";
    public const string CostUsd = "spillway.cost_usd";
    public const string SavedUsd = "spillway.saved_usd";
    public const string ClientFormat = "spillway.client_format";
    public const string ClientId = "spillway.client_id";
    public const string RequestId = "spillway.request_id";
    public const string Attempts = "spillway.attempts";

    /// <summary>The <c>gen_ai.operation.name</c> of a chat request, whatever API the client spoke.</summary>
    public const string Chat = "chat";

    /// <summary>The <c>gen_ai.operation.name</c> of an embeddings request.</summary>
    public const string Embeddings = "embeddings";
}
