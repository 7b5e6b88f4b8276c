namespace Spillway.Serving;

/// <summary>
/// One thing <c>/readyz</c> checks: its <paramref name="Status"/> (<c>ok</c>, or a word saying what is wrong), and
/// when it fails the <paramref name="Reason"/>, a sentence a person understands. <see cref="Facts"/> and
/// <see cref="Counts"/> say what was checked (an address, a backlog), never a secret.
/// </summary>
internal sealed record ReadinessCheck(string Name, string Status, string? Reason = null)
{
    public const string Ok = "ok";

    public bool Passed => Reason is null;

    public IReadOnlyList<(string Name, string Value)> Facts { get; init; } = [];

    public IReadOnlyList<(string Name, long Value)> Counts { get; init; } = [];
}
