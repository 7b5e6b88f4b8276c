using System.Buffers;
using System.Text.Json;
using Spillway.Core.Providers;

namespace Spillway.Core.Codecs.OpenAI;

/// <summary>
/// Writes the body sent upstream for an OpenAI-format client talking to an OpenAI-format host, by copying the
/// client's bytes property by property (ranges from <see cref="OpenAIRequestSniffer"/>) and changing only what the
/// route requires. The body is never re-serialized: unknown fields, tools, images and number spellings survive
/// byte for byte, and the cost is a few memory copies.
/// </summary>
public static class OpenAIRequestRewriter
{
    /// <summary>
    /// Writes the upstream body into <paramref name="output"/>.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item><c>model</c> becomes <paramref name="upstreamModel"/> (added first when the client sent only
    /// <c>models</c>); <c>models</c>, the client's chain, is removed because the gateway runs the chain itself.</item>
    /// <item>When <paramref name="forceIncludeUsage"/> and the request streams, <c>stream_options.include_usage</c>
    /// is made true, keeping the client's other <c>stream_options</c> fields, so every stream reports usage.</item>
    /// <item><paramref name="quirks"/>: listed fields are dropped; renamed fields keep their value bytes (if the
    /// client also sent the new name, the renamed field wins, so no name appears twice); <c>stream_options</c> is
    /// removed where the host does not accept it.</item>
    /// </list>
    /// Other top-level properties are copied as written; only the whitespace between them is dropped.
    /// </remarks>
    /// <param name="body">The client's body, the same bytes that were sniffed.</param>
    /// <param name="sniff">A valid sniff of <paramref name="body"/>.</param>
    /// <param name="upstreamModel">The model id the upstream expects.</param>
    /// <param name="output">Where the new body goes.</param>
    /// <param name="quirks">The host's parameter quirks; none when null.</param>
    /// <param name="forceIncludeUsage">True to ask a streaming upstream for its usage.</param>
    /// <exception cref="ArgumentException">The sniff is not valid, or was taken from other bytes.</exception>
    public static void Rewrite(
        ReadOnlySpan<byte> body,
        ChatRequestSniff sniff,
        string upstreamModel,
        IBufferWriter<byte> output,
        ParameterQuirks? quirks = null,
        bool forceIncludeUsage = false)
    {
        ArgumentNullException.ThrowIfNull(sniff);
        ArgumentException.ThrowIfNullOrEmpty(upstreamModel);
        ArgumentNullException.ThrowIfNull(output);
        if (!sniff.IsValid || sniff.BodyLength != body.Length)
        {
            throw new ArgumentException("The sniff must be a valid sniff of this body.", nameof(sniff));
        }

        quirks ??= ParameterQuirks.None;
        var hasFieldQuirks = !quirks.Drop.IsDefaultOrEmpty || !quirks.Rename.IsEmpty;
        var keepStreamOptions = quirks.AcceptsStreamOptions && !quirks.Drop.Contains("stream_options");
        var ensureUsage = forceIncludeUsage && sniff.Stream && keepStreamOptions;

        output.Write("{"u8);
        var first = true;
        var modelWritten = false;
        if (!HasField(sniff, TopLevelField.Model))
        {
            WriteModel(output, upstreamModel, ref first);
            modelWritten = true;
        }

        var streamOptionsWritten = false;
        foreach (var property in sniff.Properties)
        {
            switch (property.Field)
            {
                case TopLevelField.Model:
                    // Duplicate "model" keys collapse into the one we write.
                    if (!modelWritten)
                    {
                        WriteModel(output, upstreamModel, ref first);
                        modelWritten = true;
                    }

                    continue;

                case TopLevelField.Models:
                    continue;

                case TopLevelField.StreamOptions:
                    if (keepStreamOptions && !streamOptionsWritten)
                    {
                        Separate(output, ref first);
                        WriteStreamOptions(body, property, sniff, ensureUsage, output);
                        streamOptionsWritten = true;
                    }

                    continue;
            }

            if (hasFieldQuirks)
            {
                CopyWithQuirks(body, sniff, property, quirks, output, ref first);
            }
            else
            {
                Separate(output, ref first);
                output.Write(body[property.Range]);
            }
        }

        if (ensureUsage && !streamOptionsWritten)
        {
            Separate(output, ref first);
            output.Write("\"stream_options\":{\"include_usage\":true}"u8);
        }

        output.Write("}"u8);
    }

    /// <summary>Writes one property under the host's quirks: dropped, renamed, or copied.</summary>
    private static void CopyWithQuirks(
        ReadOnlySpan<byte> body,
        ChatRequestSniff sniff,
        TopLevelProperty property,
        ParameterQuirks quirks,
        IBufferWriter<byte> output,
        ref bool first)
    {
        foreach (var dropped in quirks.Drop)
        {
            if (property.NameEquals(body, dropped))
            {
                return;
            }
        }

        foreach (var (from, to) in quirks.Rename)
        {
            if (property.NameEquals(body, from))
            {
                Separate(output, ref first);
                JsonStringWriter.WriteQuoted(output, to);
                output.Write(":"u8);
                output.Write(body[property.ValueRange]);
                return;
            }

            if (property.NameEquals(body, to) && HasName(body, sniff, from))
            {
                return;
            }
        }

        Separate(output, ref first);
        output.Write(body[property.Range]);
    }

    private static void WriteStreamOptions(
        ReadOnlySpan<byte> body, TopLevelProperty property, ChatRequestSniff sniff, bool ensureUsage, IBufferWriter<byte> output)
    {
        var value = body[property.ValueRange];
        if (!ensureUsage || (sniff.IncludeUsage == true && value[0] == (byte)'{'))
        {
            output.Write(body[property.Range]);
            return;
        }

        output.Write("\"stream_options\":{"u8);
        if (value[0] == (byte)'{')
        {
            // Keep the client's other options (include_obfuscation, …) as written; only include_usage is ours.
            var reader = new Utf8JsonReader(value);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var start = (int)reader.TokenStartIndex;
                var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
                reader.Read();
                reader.Skip();
                if (!isIncludeUsage)
                {
                    output.Write(value[start..OpenAIRequestSniffer.EndOfValue(ref reader)]);
                    output.Write(","u8);
                }
            }
        }

        output.Write("\"include_usage\":true}"u8);
    }

    private static void WriteModel(IBufferWriter<byte> output, string model, ref bool first)
    {
        Separate(output, ref first);
        output.Write("\"model\":"u8);
        JsonStringWriter.WriteQuoted(output, model);
    }

    private static void Separate(IBufferWriter<byte> output, ref bool first)
    {
        if (!first)
        {
            output.Write(","u8);
        }

        first = false;
    }

    private static bool HasField(ChatRequestSniff sniff, TopLevelField field)
    {
        foreach (var property in sniff.Properties)
        {
            if (property.Field == field)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasName(ReadOnlySpan<byte> body, ChatRequestSniff sniff, string name)
    {
        foreach (var property in sniff.Properties)
        {
            if (property.NameEquals(body, name))
            {
                return true;
            }
        }

        return false;
    }
}
