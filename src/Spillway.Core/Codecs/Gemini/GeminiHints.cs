using Spillway.Core.Chat;

namespace Spillway.Core.Codecs.Gemini;

/// <summary>
/// Collects what an encoder left out (each name once, in order of first sight) and screens vendor fields: a
/// foreign field that must be honoured stops the encode, any other foreign field is left out and named.
/// </summary>
internal sealed class GeminiHints
{
    private readonly List<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    public void Add(string name)
    {
        if (!_names.Contains(name))
        {
            _names.Add(name);
        }
    }

    /// <summary>
    /// Records the foreign fields of <paramref name="extensions"/> as dropped, or returns the refusal for the first
    /// one that must be honoured. <paramref name="where"/> names the object for the message (<c>the request</c>).
    /// </summary>
    public ChatError? Screen(ChatExtensions extensions, string where, string? param = null)
    {
        foreach (var extension in extensions.Foreign(WireFormat.Gemini))
        {
            if (extension.MustHonor)
            {
                return ChatError.InvalidRequest(
                    $"The {extension.Format} field '{extension.Name}' on {where} cannot be carried to a Gemini "
                    + "model, and leaving it out would change the answer.",
                    param);
            }

            Add(extension.Name);
        }

        return null;
    }
}
