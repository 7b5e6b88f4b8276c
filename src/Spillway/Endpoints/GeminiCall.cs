namespace Spillway.Endpoints;

/// <summary>What a Gemini call's path names: <c>/v1beta/models/{model}:{method}</c> (or <c>/v1/models/…</c>).</summary>
internal sealed record GeminiCall(string Model, GeminiMethod Method)
{
    /// <summary>Gemini's API versions; Google's clients use either, depending on version and settings.</summary>
    public static readonly string[] Prefixes = ["/v1beta/models/", "/v1/models/"];

    /// <summary>The model and method of <paramref name="path"/>, or null when it names no model.</summary>
    public static GeminiCall? Parse(PathString path)
    {
        var value = path.Value ?? string.Empty;
        var prefix = Array.Find(Prefixes, p => value.StartsWith(p, StringComparison.Ordinal));
        if (prefix is null)
        {
            return null;
        }

        // The method follows the last ':' (a model id may hold ':' itself, as OpenRouter's ':free' ids do).
        var rest = Unescape(value[prefix.Length..]);
        var colon = rest.LastIndexOf(':');
        if (colon <= 0)
        {
            return null;
        }

        var method = rest[(colon + 1)..] switch
        {
            "generateContent" => GeminiMethod.GenerateContent,
            "streamGenerateContent" => GeminiMethod.StreamGenerateContent,
            "countTokens" => GeminiMethod.CountTokens,
            _ => GeminiMethod.Unknown,
        };
        return new GeminiCall(rest[..colon], method);
    }

    /// <summary>Kestrel decodes the path but leaves <c>%2F</c> as is, which clients send for the '/' in a route id.</summary>
    public static string Unescape(string id) => id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The Gemini methods a model path can name.</summary>
internal enum GeminiMethod
{
    Unknown,
    GenerateContent,
    StreamGenerateContent,
    CountTokens,
}
