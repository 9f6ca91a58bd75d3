using System.Buffers;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats.Cbor;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.Lwm2mCbor;

/// <summary>
/// application/vnd.oma.lwm2m+cbor (11544, LwM2M TS 1.2 Core §7.4.6): a CBOR map whose keys are path ids,
/// nested object → instance → resource → resource instance. A key may be an array of ids standing for a
/// chain of single-entry maps (<c>{[3, 0]: {0: "Open Mobile Alliance"}}</c>). Keys are absolute: the first
/// key starts at the object id, whatever the request path. Values map as in application/cbor; CBOR
/// <c>null</c> stands for a path without value (a record whose <see cref="Lwm2mRecord.Value"/> is null).
/// The format carries no timestamps.
/// </summary>
/// <remarks>
/// Encoding: a node is written as one key holding the request path (an id, or an array of ids) and the
/// node's content as nested definite-length maps keyed by child ids. Records are sorted by path, then each
/// run of ids shared by all records of a branch is folded into one array key, so one record gives
/// <c>{[3, 0, 1]: value}</c> and a Device instance gives <c>{[3, 0]: {0: …, 1: …, 6: {0: 1, 1: 5}}}</c>.
/// Decoding accepts definite and indefinite maps and arrays, and any split of a path between keys.
/// </remarks>
public sealed partial class Lwm2mCborCodec : ILwm2mContentCodec
{
    /// <inheritdoc />
    public ushort ContentFormat => Lwm2mContentFormat.Lwm2mCbor;

    /// <inheritdoc />
    public string Name => "lwm2m-cbor";

    /// <inheritdoc />
    public string MediaType => "application/vnd.oma.lwm2m+cbor";

    /// <inheritdoc />
    public bool IsBinary => true;

    /// <inheritdoc />
    public bool SupportsRecords => true;

    /// <inheritdoc />
    public Lwm2mCodecResult<Lwm2mNode> DecodeNode(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model) =>
        RecordNodes.DecodeNode<Reader>(payload, path, model, TimeProvider.System);

    /// <inheritdoc />
    public Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> DecodeRecords(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model) =>
        RecordNodes.DecodeRecords<Reader>(payload, model, TimeProvider.System);

    /// <summary>Hands <see cref="Decode"/> to the shared record plumbing; the format has no relative times, so the clock is unused.</summary>
    private readonly struct Reader : IRecordReader
    {
        public static Lwm2mCodecError? Read(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model, TimeProvider clock, RecordBuffer records, bool forNode) =>
            Decode(payload, model, records, checkDuplicates: !forNode);
    }

    /// <summary>Decodes into <paramref name="records"/>, returning the first error; node building checks duplicates itself, so it skips the check here.</summary>
    private static Lwm2mCodecError? Decode(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model, RecordBuffer records, bool checkDuplicates)
    {
        ArgumentNullException.ThrowIfNull(model);
        var reader = new CborReader(payload);
        Span<int> ids = stackalloc int[4];
        if (DecodeMap(ref reader, ids, 0, records, model) is { } error)
        {
            return error;
        }

        if (reader.BytesRemaining > 0)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, $"{reader.BytesRemaining} bytes follow the top-level map.", reader.Offset);
        }

        var seen = checkDuplicates ? new HashSet<Lwm2mPath>() : null;
        foreach (DecodedRecord record in records.Records)
        {
            if (seen is not null && !seen.Add(record.Path))
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, $"Path {record.Path} appears twice.");
            }
        }

        return null;
    }

    private static Lwm2mCodecError? DecodeMap(ref CborReader reader, scoped Span<int> ids, int depth, RecordBuffer records, IObjectDefinitionProvider model)
    {
        CborReaderState state = reader.PeekState();
        if (state != CborReaderState.StartMap)
        {
            return state == CborReaderState.Invalid
                ? CborLwm2mValues.FromReader(reader.Error)
                : new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, $"Expected a map of path ids but found {state}.", reader.Offset);
        }

        reader.TryReadStartMap(out _);
        while ((state = reader.PeekState()) != CborReaderState.EndMap)
        {
            int keyOffset = reader.Offset;
            int end = depth;
            if (state == CborReaderState.UnsignedInteger)
            {
                if (ReadId(ref reader, ids, ref end) is { } idError)
                {
                    return idError;
                }
            }
            else if (state == CborReaderState.StartArray)
            {
                reader.TryReadStartArray(out _);
                while ((state = reader.PeekState()) != CborReaderState.EndArray)
                {
                    if (state != CborReaderState.UnsignedInteger)
                    {
                        return KeyError(ref reader, state);
                    }

                    if (ReadId(ref reader, ids, ref end) is { } idError)
                    {
                        return idError;
                    }
                }

                reader.TryReadEndArray();
                if (end == depth)
                {
                    return new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, "A key is an empty array of ids.", keyOffset);
                }
            }
            else
            {
                return KeyError(ref reader, state);
            }

            if (DecodeEntry(ref reader, ids, end, records, model) is { } entryError)
            {
                return entryError;
            }
        }

        reader.TryReadEndMap();
        return null;
    }

    private static Lwm2mCodecError? DecodeEntry(ref CborReader reader, scoped Span<int> ids, int depth, RecordBuffer records, IObjectDefinitionProvider model)
    {
        int offset = reader.Offset;
        CborReaderState state = reader.PeekState();
        if (state == CborReaderState.StartMap)
        {
            return depth == 4
                ? new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, "A map appears below a resource instance id.", offset)
                : DecodeMap(ref reader, ids, depth, records, model);
        }

        Lwm2mPath path = PathSegments.Make(ids[..depth]);
        if (state == CborReaderState.Null)
        {
            reader.TryReadNull();
            records.Add(path, null);
            return null;
        }

        if (state == CborReaderState.Invalid)
        {
            return CborLwm2mValues.FromReader(reader.Error);
        }

        if (depth < 3)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.PathMismatch, $"A value appears at {path}, which is not a resource path.", offset);
        }

        ResourceDefinition? definition = model.GetObject(ids[0])?.GetResource(ids[2]);
        if (CborLwm2mValues.TryRead(ref reader, definition?.Type, out Lwm2mValue value) is { } error)
        {
            return error with { Message = $"{path}: {error.Message}" };
        }

        records.Add(path, value);
        return null;
    }

    private static Lwm2mCodecError? ReadId(ref CborReader reader, scoped Span<int> ids, ref int end)
    {
        int offset = reader.Offset;
        if (!reader.TryReadUInt64(out ulong id))
        {
            return CborLwm2mValues.FromReader(reader.Error);
        }

        if (id > Lwm2mPath.MaxId)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, $"Path id {id} is over {Lwm2mPath.MaxId}.", offset);
        }

        if (end == 4)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, "A path has more than four ids.", offset);
        }

        ids[end++] = (int)id;
        return null;
    }

    private static Lwm2mCodecError KeyError(ref CborReader reader, CborReaderState state) =>
        state == CborReaderState.Invalid
            ? CborLwm2mValues.FromReader(reader.Error)
            : new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, $"A key must be a path id or an array of ids, not {state}.", reader.Offset);
}
