using System.Buffers;
using System.Text.Json;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.SenmlJson;

/// <summary>
/// application/senml+json (110; RFC 8428 with LwM2M TS 1.1/1.2 §7.4.5): records with names (bn + n),
/// times (bt + t), values v / vs / vb / vd (base64url, no padding) / vlo (object link "o:i").
/// Carries every node, composite and time-series records, and read-composite request bodies (names only).
/// Relative times (below 2^28 s, RFC 8428 §4.5.3) are resolved against the <see cref="TimeProvider"/>.
/// </summary>
/// <param name="timeProvider">The clock for relative SenML times; the system clock when null.</param>
public sealed class SenmlJsonCodec(TimeProvider? timeProvider = null) : ILwm2mContentCodec
{
    private readonly TimeProvider _clock = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public ushort ContentFormat => Lwm2mContentFormat.SenmlJson;

    /// <inheritdoc />
    public string Name => "senml-json";

    /// <inheritdoc />
    public string MediaType => "application/senml+json";

    /// <inheritdoc />
    public bool IsBinary => false;

    /// <inheritdoc />
    public bool SupportsRecords => true;

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeNode(Lwm2mPath path, Lwm2mNode node, IBufferWriter<byte> output) =>
        JsonRecordCodec.EncodeNode<Format>(path, node, output);

    /// <inheritdoc />
    public Lwm2mCodecResult<Lwm2mNode> DecodeNode(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model) =>
        RecordNodes.DecodeNode<Format>(payload, path, model, _clock);

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeRecords(IReadOnlyList<Lwm2mRecord> records, IBufferWriter<byte> output) =>
        JsonRecordCodec.EncodeRecords<Format>(records, output);

    /// <inheritdoc />
    public Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> DecodeRecords(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model) =>
        RecordNodes.DecodeRecords<Format>(payload, model, _clock);

    /// <summary>Binds this format's reader and writer to the shared JSON codec plumbing.</summary>
    private readonly struct Format : IJsonRecordFormat
    {
        public static Lwm2mCodecError? Read(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model, TimeProvider clock, RecordBuffer records, bool forNode) =>
            SenmlJsonReader.Read(payload, model, clock, records);

        public static Lwm2mCodecError? WriteNode(Utf8JsonWriter writer, Lwm2mPath path, Lwm2mNode node) =>
            SenmlJsonWriter.WriteNode(writer, path, node);

        public static Lwm2mCodecError? WriteRecords(Utf8JsonWriter writer, IReadOnlyList<Lwm2mRecord> records) =>
            SenmlJsonWriter.WriteRecords(writer, records);
    }
}
