namespace Spillway.Core.Codecs;

/// <summary>The shape of an embeddings request's <c>input</c> (OpenAI's four forms).</summary>
public enum EmbeddingsInputKind
{
    /// <summary>One string: one vector.</summary>
    Text,

    /// <summary>A list of strings: one vector each, in order.</summary>
    Texts,

    /// <summary>One list of token ids (OpenAI's own tokenizer): one vector. Only an OpenAI-format host can read it.</summary>
    Tokens,

    /// <summary>A list of token-id lists: one vector each. Only an OpenAI-format host can read it.</summary>
    TokenLists,
}
