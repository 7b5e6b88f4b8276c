namespace Spillway.Simulator;

/// <summary>What a simulated model does with a conversation that ends in an assistant turn (a prefill).</summary>
public enum PrefillHandling
{
    /// <summary>Continues it: the answer is the rest of the reply text after the prefill (Anthropic, Groq,
    /// OpenRouter, Gemini; Mistral only with <c>"prefix": true</c>, else its 400).</summary>
    Continue,

    /// <summary>Treats it as history and answers afresh (OpenAI's models do).</summary>
    AnswerAfresh,

    /// <summary>Refuses it with a 400 in the style's shape (a model that takes no prefill).</summary>
    Refuse,
}
