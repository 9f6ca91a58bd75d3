using System.Buffers;
using System.Text.Json;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.OmaJson;

/// <summary>
/// application/vnd.oma.lwm2m+json (11543; LwM2M TS 1.0 §6.4.4, TS 1.1 §7.4.4): an object with a base name,
/// an optional base time and an "e" array of entries (n, v / sv / bv / ov, t). Opaque values travel as
/// base64 in "sv". Carries every node and time-stamped records; records without values (read-composite
/// bodies) are SenML-only and refused. Relative times (below 2^28 s) resolve against the <see cref="TimeProvider"/>.
/// </summary>
/// <param name="timeProvider">The clock for relative times; the system clock when null.</param>
public sealed class OmaJsonCodec(TimeProvider? timeProvider = null) : ILwm2mContentCodec
{
    private readonly TimeProvider _clock = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public ushort ContentFormat => Lwm2mContentFormat.OmaJson;

    /// <inheritdoc />
    public string Name => "json";

    /// <inheritdoc />
    public string MediaType => "application/vnd.oma.lwm2m+json";

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
            OmaJsonReader.Read(payload, model, clock, records);

        public static Lwm2mCodecError? WriteNode(Utf8JsonWriter writer, Lwm2mPath path, Lwm2mNode node) =>
            OmaJsonWriter.WriteNode(writer, path, node);

        public static Lwm2mCodecError? WriteRecords(Utf8JsonWriter writer, IReadOnlyList<Lwm2mRecord> records) =>
            OmaJsonWriter.WriteRecords(writer, records);
    }
}
