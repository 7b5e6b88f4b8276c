namespace Spillway.Core.Planning;

/// <summary>A <c>provider/model</c> route. The model may itself contain slashes (<c>openrouter/meta-llama/llama-3.3-70b:free</c>).</summary>
public readonly record struct RouteRef(string ProviderId, string Model)
{
    public static bool TryParse(string? text, out RouteRef route)
    {
        route = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1)
        {
            return false;
        }

        route = new RouteRef(text[..slash], text[(slash + 1)..]);
        return true;
    }

    public override string ToString() => ProviderId + "/" + Model;
}
