using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats.Cbor;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.SenmlCbor;

public sealed partial class SenmlCborCodec
{
    private const long MinUnixMilliseconds = -62135596800000;
    private const long MaxUnixMilliseconds = 253402300799999;

    private enum RawKind
    {
        None,
        Number,
        Text,
        Boolean,
        Bytes,
        ObjectLink,
    }

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
        CborReaderState state = reader.PeekState();
        if (state != CborReaderState.StartArray)
        {
            return Structure(ref reader, state, "SenML CBOR is an array of records");
        }

        reader.TryReadStartArray(out _);
        var context = new BaseContext();
        while ((state = reader.PeekState()) != CborReaderState.EndArray)
        {
            if (state != CborReaderState.StartMap)
            {
                return Structure(ref reader, state, "each record is a map");
            }

            if (ReadRecord(ref reader, ref context, model, out DecodedRecord record) is { } error)
            {
                return error;
            }

            records.Add(record.Path, record.Value, record.Timestamp);
        }

        reader.TryReadEndArray();
        if (reader.BytesRemaining > 0)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, $"{reader.BytesRemaining} bytes follow the record array.", reader.Offset);
        }

        var seen = checkDuplicates ? new HashSet<(Lwm2mPath, DateTimeOffset?)>() : null;
        foreach (DecodedRecord record in records.Records)
        {
            if (seen is not null && !seen.Add((record.Path, record.Timestamp)))
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed,
                    $"Path {record.Path} appears twice{(record.Timestamp is { } ts ? $" at time {ts.ToUnixTimeMilliseconds() / 1000.0}" : "")}.");
            }
        }

        return null;
    }

    private static Lwm2mCodecError Structure(ref CborReader reader, CborReaderState state, string rule) =>
        state == CborReaderState.Invalid
            ? CborLwm2mValues.FromReader(reader.Error)
            : new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, $"Found {state} but {rule}.", reader.Offset);

    private static Lwm2mCodecError? ReadRecord(ref CborReader reader, ref BaseContext context, IObjectDefinitionProvider model, out DecodedRecord record)
    {
        record = default;
        int recordOffset = reader.Offset;
        reader.TryReadStartMap(out _);
        RawValue raw = default;
        ReadOnlySpan<byte> name = default;
        bool hasTime = false;
        double time = 0;
        int seenLabels = 0;
        CborReaderState state;
        while ((state = reader.PeekState()) != CborReaderState.EndMap)
        {
            int keyOffset = reader.Offset;
            int label;
            if (state is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger)
            {
                if (!reader.TryReadInt64(out long l))
                {
                    return CborLwm2mValues.FromReader(reader.Error);
                }

                label = l is >= -64 and <= 64 ? (int)l : int.MaxValue;
            }
            else if (state == CborReaderState.TextString)
            {
                if (!reader.TryReadTextStringUtf8(out ReadOnlySpan<byte> text))
                {
                    return CborLwm2mValues.FromReader(reader.Error);
                }

                if (text.SequenceEqual(ObjectLinkLabel))
                {
                    label = 100;
                }
                else if (text.Length > 0 && text[^1] == (byte)'_')
                {
                    return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"Label '{System.Text.Encoding.UTF8.GetString(text)}' must be understood and is not.", keyOffset);
                }
                else
                {
                    label = int.MaxValue;
                }
            }
            else
            {
                return Structure(ref reader, state, "a label is an integer or a text string");
            }

            int bit = label switch
            {
                LabelBaseName => 1,
                LabelBaseTime => 2,
                LabelName => 4,
                LabelTime => 8,
                LabelValue or LabelStringValue or LabelBooleanValue or LabelDataValue or 100 => 16,
                _ => 0,
            };
            if ((seenLabels & bit) != 0)
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, bit == 16 ? "A record holds more than one value." : $"Label {label} appears twice in one record.", keyOffset);
            }

            seenLabels |= bit;
            int valueOffset = reader.Offset;
            Lwm2mCodecError? error = label switch
            {
                LabelBaseName => ReadText(ref reader, "bn", out context.BaseName),
                LabelName => ReadText(ref reader, "n", out name),
                LabelBaseTime => ReadTime(ref reader, "bt", out context.BaseTime, ref context.HasBaseTime),
                LabelTime => ReadTime(ref reader, "t", out time, ref hasTime),
                LabelValue => ReadNumber(ref reader, ref raw),
                LabelStringValue => ReadValueText(ref reader, RawKind.Text, ref raw),
                100 => ReadValueText(ref reader, RawKind.ObjectLink, ref raw),
                LabelBooleanValue => ReadBoolean(ref reader, ref raw),
                LabelDataValue => ReadBytes(ref reader, ref raw),
                -5 or -6 or 5 => new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, "Base value, base sum and sum are not supported in LwM2M SenML.", keyOffset),
                _ => reader.TrySkipValue() ? null : CborLwm2mValues.FromReader(reader.Error),
            };
            if (error is not null)
            {
                return error;
            }

            raw.Offset = bit == 16 ? valueOffset : raw.Offset;
        }

        reader.TryReadEndMap();

        if (ResolvePath(context.BaseName, name, recordOffset, out Lwm2mPath path) is { } pathError)
        {
            return pathError;
        }

        DateTimeOffset? timestamp = null;
        if (hasTime || context.HasBaseTime)
        {
            double ms = Math.Round(((context.HasBaseTime ? context.BaseTime : 0) + (hasTime ? time : 0)) * 1000);
            if (!(ms is >= MinUnixMilliseconds and <= MaxUnixMilliseconds))
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, "The record's time is out of range.", recordOffset);
            }

            timestamp = DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
        }

        if (raw.Kind == RawKind.None)
        {
            record = new DecodedRecord(path, null, timestamp);
            return null;
        }

        if (path.Level < Lwm2mPathLevel.Resource)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.PathMismatch, $"A value is given for {path}, which is not a resource path.", recordOffset);
        }

        ResourceDefinition? definition = model.GetObject(path.ObjectId!.Value)?.GetResource(path.ResourceId!.Value);
        if (Convert(ref raw, definition?.Type, path, out Lwm2mValue value) is { } valueError)
        {
            return valueError;
        }

        record = new DecodedRecord(path, value, timestamp);
        return null;
    }

    private static Lwm2mCodecError? ResolvePath(ReadOnlySpan<byte> baseName, ReadOnlySpan<byte> name, int offset, out Lwm2mPath path)
    {
        path = Lwm2mPath.Root;
        int length = baseName.Length + name.Length;
        if (length == 0)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, "The record has no name.", offset);
        }

        Span<char> chars = stackalloc char[32];
        if (length > chars.Length)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, "The record's name is too long for a path.", offset);
        }

        for (int i = 0; i < length; i++)
        {
            byte b = i < baseName.Length ? baseName[i] : name[i - baseName.Length];
            if (b >= 0x80)
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, "The record's name is not a path.", offset);
            }

            chars[i] = (char)b;
        }

        return Lwm2mPath.TryParse(chars[..length], out path)
            ? null
            : new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, $"'{new string(chars[..length])}' is not a path like /3/0/1.", offset);
    }

    private static Lwm2mCodecError? ReadText(scoped ref CborReader reader, string label, out ReadOnlySpan<byte> text)
    {
        text = default;
        CborReaderState state = reader.PeekState();
        if (state != CborReaderState.TextString)
        {
            return Structure(ref reader, state, $"{label} is a text string");
        }

        return reader.TryReadTextStringUtf8(out text) ? null : CborLwm2mValues.FromReader(reader.Error);
    }

    private static Lwm2mCodecError? ReadTime(ref CborReader reader, string label, out double seconds, ref bool present)
    {
        RawValue raw = default;
        seconds = 0;
        if (ReadNumber(ref reader, ref raw) is { } error)
        {
            return error with { Message = $"{label}: {error.Message}" };
        }

        seconds = raw.IsFloat ? raw.Float : raw.IsNegative ? raw.Signed : raw.Unsigned;
        present = true;
        return null;
    }

    private static Lwm2mCodecError? ReadNumber(ref CborReader reader, ref RawValue raw)
    {
        CborReaderState state = reader.PeekState();
        raw.Kind = RawKind.Number;
        switch (state)
        {
            case CborReaderState.UnsignedInteger:
                return reader.TryReadUInt64(out raw.Unsigned) ? null : CborLwm2mValues.FromReader(reader.Error);
            case CborReaderState.NegativeInteger:
                raw.IsNegative = true;
                return reader.TryReadInt64(out raw.Signed) ? null : CborLwm2mValues.FromReader(reader.Error);
            case CborReaderState.HalfFloat or CborReaderState.SingleFloat or CborReaderState.DoubleFloat:
                raw.IsFloat = true;
                return reader.TryReadDouble(out raw.Float) ? null : CborLwm2mValues.FromReader(reader.Error);
            case CborReaderState.Invalid:
                return CborLwm2mValues.FromReader(reader.Error);
            default:
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.TypeMismatch, $"Found {state} where a number belongs.", reader.Offset);
        }
    }

    private static Lwm2mCodecError? ReadValueText(scoped ref CborReader reader, RawKind kind, ref RawValue raw)
    {
        raw.Kind = kind;
        CborReaderState state = reader.PeekState();
        if (state != CborReaderState.TextString)
        {
            return state == CborReaderState.Invalid
                ? CborLwm2mValues.FromReader(reader.Error)
                : new Lwm2mCodecError(Lwm2mCodecErrorKind.TypeMismatch, $"Found {state} where a text value belongs.", reader.Offset);
        }

        return reader.TryReadTextStringUtf8(out raw.Bytes) ? null : CborLwm2mValues.FromReader(reader.Error);
    }

    private static Lwm2mCodecError? ReadBoolean(ref CborReader reader, ref RawValue raw)
    {
        raw.Kind = RawKind.Boolean;
        CborReaderState state = reader.PeekState();
        if (state != CborReaderState.Boolean)
        {
            return state == CborReaderState.Invalid
                ? CborLwm2mValues.FromReader(reader.Error)
                : new Lwm2mCodecError(Lwm2mCodecErrorKind.TypeMismatch, $"Found {state} where vb's boolean belongs.", reader.Offset);
        }

        reader.TryReadBoolean(out raw.Boolean);
        return null;
    }

    private static Lwm2mCodecError? ReadBytes(scoped ref CborReader reader, ref RawValue raw)
    {
        raw.Kind = RawKind.Bytes;
        CborReaderState state = reader.PeekState();
        if (state != CborReaderState.ByteString)
        {
            return state == CborReaderState.Invalid
                ? CborLwm2mValues.FromReader(reader.Error)
                : new Lwm2mCodecError(Lwm2mCodecErrorKind.TypeMismatch, $"Found {state} where vd's byte string belongs.", reader.Offset);
        }

        return reader.TryReadByteStringSpan(out raw.Bytes) ? null : CborLwm2mValues.FromReader(reader.Error);
    }

    private ref struct BaseContext
    {
        public ReadOnlySpan<byte> BaseName;
        public double BaseTime;
        public bool HasBaseTime;
    }

    private ref struct RawValue
    {
        public RawKind Kind;
        public int Offset;
        public bool IsFloat;
        public bool IsNegative;
        public ulong Unsigned;
        public long Signed;
        public double Float;
        public bool Boolean;
        public ReadOnlySpan<byte> Bytes;
    }
}
