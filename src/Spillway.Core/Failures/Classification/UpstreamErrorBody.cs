using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Spillway.Core.Failures.Classification;

/// <summary>
/// The fields of an upstream error body that classification looks at, read from whichever envelope the provider
/// used: OpenAI <c>{"error":{message,type,param,code}}</c>, google.rpc.Status (also wrapped in an array by Gemini's
/// OpenAI-compatible endpoint), OpenRouter's <c>error.metadata</c>, Anthropic's <c>{"type":"error","error":{..}}</c>,
/// Mistral's flat <c>{"message":..}</c> / <c>{"object":"error",..}</c>, or no JSON at all.
/// </summary>
/// <remarks>Built only on failures, so it favours clarity over speed (a <see cref="JsonDocument"/>).</remarks>
internal sealed class UpstreamErrorBody
{
    private const int MaxViolations = 32;
    private const int MaxTextChars = 512;

    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    private readonly List<QuotaViolation> _violations = [];

    public static UpstreamErrorBody Empty { get; } = new();

    /// <summary>The body was a JSON object (or an array of them).</summary>
    public bool IsJson { get; private set; }

    /// <summary>A short plain-text body (not JSON, not HTML), for the reason.</summary>
    public string? Text { get; private set; }

    /// <summary><c>error.message</c>, or the top-level <c>message</c> / <c>detail</c>.</summary>
    public string? Message { get; private set; }

    /// <summary><c>error.type</c> (OpenAI's dimension or <c>insufficient_quota</c>, Anthropic's error type), or
    /// the top-level <c>type</c> of Mistral's flat shape.</summary>
    public string? Type { get; private set; }

    /// <summary><c>error.code</c> as text (OpenAI's <c>rate_limit_exceeded</c>, OpenRouter's HTTP code).</summary>
    public string? Code { get; private set; }

    /// <summary><c>error.code</c> when it is a number (or a string holding one).</summary>
    public int? CodeNumber { get; private set; }

    /// <summary>google.rpc canonical code (<c>RESOURCE_EXHAUSTED</c>, <c>UNAVAILABLE</c>, …).</summary>
    public string? Status { get; private set; }

    /// <summary>A <c>google.rpc.ErrorInfo</c> reason (<c>API_KEY_INVALID</c>, …).</summary>
    public string? ErrorInfoReason { get; private set; }

    /// <summary>A <c>google.rpc.RetryInfo.retryDelay</c> as sent (a protobuf duration such as <c>26s</c>).</summary>
    public string? RetryDelay { get; private set; }

    /// <summary>Gemini's quota violations.</summary>
    public IReadOnlyList<QuotaViolation> Violations => _violations;

    /// <summary>OpenRouter's <c>error.metadata.error_type</c>.</summary>
    public string? ErrorType { get; private set; }

    /// <summary>OpenRouter's <c>error.metadata.provider_code</c>: the 429 came from the upstream provider.</summary>
    public string? ProviderCode { get; private set; }

    /// <summary>OpenRouter's <c>error.metadata.raw</c>: the upstream provider's own error text.</summary>
    public string? Raw { get; private set; }

    /// <summary>OpenRouter's <c>error.metadata.headers</c>, the rate-limit headers of the cap that was hit.</summary>
    public IReadOnlyDictionary<string, string>? MetadataHeaders { get; private set; }

    /// <summary>OpenRouter's moderation metadata (<c>reasons</c>, <c>flagged_input</c>) was present.</summary>
    public bool Flagged { get; private set; }

    /// <summary>Anthropic's envelope: top-level <c>"type": "error"</c>.</summary>
    public bool IsAnthropicEnvelope { get; private set; }

    /// <summary>Gemini's <c>promptFeedback.blockReason</c> (<c>SAFETY</c>, <c>BLOCKLIST</c>, …).</summary>
    public string? BlockReason { get; private set; }

    /// <summary>The body is a google.rpc.Status (either envelope).</summary>
    public bool IsGoogleStatus => Status is not null || _violations.Count > 0 || RetryDelay is not null;

    public static UpstreamErrorBody Parse(ReadOnlySpan<byte> utf8)
    {
        var trimmed = TrimWhite(utf8);
        if (trimmed.IsEmpty)
        {
            return Empty;
        }

        var body = new UpstreamErrorBody();
        if (trimmed[0] is (byte)'{' or (byte)'[')
        {
            try
            {
                using var document = JsonDocument.Parse(trimmed.ToArray(), Options);
                body.ReadRoot(document.RootElement);
                return body;
            }
            catch (JsonException)
            {
                // Truncated or broken JSON: fall through and keep it as text.
            }
        }

        // An HTML page from a proxy or load balancer says nothing a person needs in the reason.
        if (trimmed[0] != (byte)'<')
        {
            var length = Math.Min(trimmed.Length, MaxTextChars * 4);
            body.Text = Encoding.UTF8.GetString(trimmed[..length]);
        }

        return body;
    }

    private void ReadRoot(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Array)
        {
            // Gemini's OpenAI-compatible endpoint: [{"error":{...}}]. The first object carries the error.
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object)
                {
                    ReadRoot(item);
                    return;
                }
            }

            return;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        IsJson = true;
        if (root.TryGetProperty("error", out var error))
        {
            if (error.ValueKind == JsonValueKind.Object)
            {
                ReadError(error);
            }
            else if (error.ValueKind == JsonValueKind.String)
            {
                Message = error.GetString();
            }
        }

        IsAnthropicEnvelope = StringOf(root, "type") == "error" && error.ValueKind == JsonValueKind.Object;
        Message ??= StringOf(root, "message") ?? StringOf(root, "detail");
        if (!IsAnthropicEnvelope)
        {
            Type ??= StringOf(root, "type");
        }

        if (Code is null && root.TryGetProperty("code", out var code))
        {
            ReadCode(code);
        }

        if (root.TryGetProperty("promptFeedback", out var feedback) && feedback.ValueKind == JsonValueKind.Object)
        {
            BlockReason = StringOf(feedback, "blockReason");
        }
    }

    private void ReadError(JsonElement error)
    {
        Message = StringOf(error, "message");
        Type = StringOf(error, "type");
        Status = StringOf(error, "status");
        if (error.TryGetProperty("code", out var code))
        {
            ReadCode(code);
        }

        if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            foreach (var detail in details.EnumerateArray())
            {
                if (detail.ValueKind == JsonValueKind.Object)
                {
                    ReadGoogleDetail(detail);
                }
            }
        }

        if (error.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
        {
            ReadOpenRouterMetadata(metadata);
        }
    }

    private void ReadCode(JsonElement code)
    {
        if (code.ValueKind == JsonValueKind.Number)
        {
            Code = code.GetRawText();
            CodeNumber = code.TryGetInt32(out var number) ? number : null;
        }
        else if (code.ValueKind == JsonValueKind.String)
        {
            Code = code.GetString();
            CodeNumber = int.TryParse(Code, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
        }
    }

    private void ReadGoogleDetail(JsonElement detail)
    {
        // Recognised by content, not only by "@type": excerpts of real bodies sometimes lose the type URL.
        if (detail.TryGetProperty("violations", out var violations) && violations.ValueKind == JsonValueKind.Array)
        {
            foreach (var violation in violations.EnumerateArray())
            {
                var quotaId = violation.ValueKind == JsonValueKind.Object ? StringOf(violation, "quotaId") : null;
                if (quotaId is not null && _violations.Count < MaxViolations)
                {
                    _violations.Add(new QuotaViolation(quotaId, LongOf(violation, "quotaValue")));
                }
            }
        }

        RetryDelay ??= StringOf(detail, "retryDelay");
        ErrorInfoReason ??= StringOf(detail, "reason");
    }

    private void ReadOpenRouterMetadata(JsonElement metadata)
    {
        ErrorType = StringOf(metadata, "error_type");
        if (metadata.TryGetProperty("provider_code", out var providerCode)
            && providerCode.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            ProviderCode = providerCode.ValueKind == JsonValueKind.String ? providerCode.GetString() : providerCode.GetRawText();
        }

        if (metadata.TryGetProperty("raw", out var raw) && raw.ValueKind != JsonValueKind.Null)
        {
            Raw = raw.ValueKind == JsonValueKind.String ? raw.GetString() : raw.GetRawText();
        }

        if (metadata.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in headers.EnumerateObject())
            {
                if (header.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    map[header.Name] = header.Value.ValueKind == JsonValueKind.String
                        ? header.Value.GetString()!
                        : header.Value.GetRawText();
                }
            }

            MetadataHeaders = map;
        }

        Flagged = metadata.TryGetProperty("reasons", out _) || metadata.TryGetProperty("flagged_input", out _);
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? LongOf(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        return value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : null;
    }

    private static ReadOnlySpan<byte> TrimWhite(ReadOnlySpan<byte> utf8)
    {
        // A UTF-8 byte order mark is not JSON; some proxies still send one.
        if (utf8.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        return utf8.Trim(" \t\r\n"u8);
    }
}
