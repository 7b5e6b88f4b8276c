namespace Spillway.Core.Chat;

/// <summary>The caller's reasoning settings.</summary>
/// <param name="Mode">Enabled with a budget, adaptive, or disabled.</param>
/// <param name="BudgetTokens">The reasoning budget when <paramref name="Mode"/> is <see cref="ThinkingMode.Enabled"/>.</param>
public sealed record ChatThinking(ThinkingMode Mode, int? BudgetTokens = null);
