using Spillway.Core.Chat;

namespace Spillway.Core.Codecs;

/// <summary>Where a client's stream stands when another upstream takes it over.</summary>
/// <param name="Start">The answer's opening as the client saw it: its id exactly as sent, model, envelope fields.</param>
/// <param name="Parts">The ids of the parts the client has seen, in the order it saw them.</param>
/// <param name="OpenPart">The id of the part still open (its block not closed for the client), or -1.</param>
public sealed record StreamResumePoint(MessageStartEvent Start, IReadOnlyList<int> Parts, int OpenPart);
