namespace Spillway.Core.Chat;

/// <summary>Whether the model reasons before answering.</summary>
public enum ThinkingMode
{
    /// <summary>Reasoning with a token budget (<see cref="ChatThinking.BudgetTokens"/>).</summary>
    Enabled,

    /// <summary>The model decides how much to reason.</summary>
    Adaptive,

    /// <summary>No reasoning.</summary>
    Disabled,
}
