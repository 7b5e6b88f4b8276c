using System.Text;

namespace Spillway.Tests.Endpoints;

/// <summary>Which error shape a bad-input answer must have.</summary>
internal enum ErrorShape
{
    /// <summary><c>{"error":{"message","type","param","code"}}</c>.</summary>
    OpenAI,

    /// <summary><c>{"type":"error","error":{"type","message"}}</c>.</summary>
    Anthropic,

    /// <summary><c>{"error":{"code","message","status"}}</c> (the Gemini door); <see cref="BadInputCase.Type"/> is the status.</summary>
    Gemini,

    /// <summary>Refused by Kestrel itself before any endpoint runs: no body format to check.</summary>
    Server,

    /// <summary>Not an error: the request is served (a bad-looking input that is valid).</summary>
    Served,
}

/// <summary>One request of the bad-input corpus, sent over a bare socket, and the answer it must get.</summary>
internal sealed record BadInputCase(string Name, byte[] Request, int Status, ErrorShape Shape)
{
    /// <summary>The error type the answer must carry (OpenAI <c>type</c>, Anthropic <c>error.type</c>), when checked.</summary>
    public string? Type { get; init; }

    /// <summary>The OpenAI <c>code</c> the answer must carry, when checked.</summary>
    public string? Code { get; init; }

    /// <summary>True when no upstream may be called (the door refuses it).</summary>
    public bool NoUpstreamCall { get; init; } = true;

    /// <summary>Extra checks of what the upstream simulators received, run after the answer.</summary>
    public Action<Support.TestGateway>? Upstream { get; init; }

    public override string ToString() => Name;

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
