namespace Spillway.Core.Chat;

/// <summary>
/// One field that only one wire format understands, kept verbatim: Anthropic <c>cache_control</c>,
/// <c>context_management</c>, <c>defer_loading</c>, OpenAI <c>service_tier</c>, <c>logprobs</c>, ….
/// The encoder of <see cref="Format"/> writes it back where it was; encoders of other formats drop it and report
/// <see cref="Name"/>, or refuse the request when <see cref="MustHonor"/> is set.
/// </summary>
/// <param name="Format">The format the field belongs to.</param>
/// <param name="Name">
/// The field's JSON name on the object that carried it (<c>cache_control</c>); a dotted name places it one level
/// down (<c>usage.service_tier</c>). A name that is not a JSON field (the <c>anthropic-beta</c> header) says so
/// by its spelling.
/// </param>
/// <param name="Value">The field's value as it arrived.</param>
/// <param name="MustHonor">
/// True when dropping the field would change what the caller gets (OpenAI <c>n</c> above 1, audio output): another
/// format must refuse the request instead of dropping it.
/// </param>
public sealed record ChatExtension(WireFormat Format, string Name, RawJson Value, bool MustHonor = false);
