namespace Spillway.Core.Catalog;

/// <summary>
/// Whether a listed price makes a model free (wire-facts §5.4): prompt and completion both exactly zero, and the
/// per-request and per-image prices zero where the list names them. A negative price (<c>openrouter/auto</c>'s
/// <c>"-1"</c>) means "decided per call", never free; a missing prompt or completion price is not free either.
/// </summary>
public static class FreePricing
{
    public static bool IsFree(decimal? prompt, decimal? completion, decimal? request, decimal? image) =>
        prompt == 0m && completion == 0m && (request is null or 0m) && (image is null or 0m);
}
