using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.Cbor;

/// <summary>
/// The mapping between LwM2M values and single CBOR data items shared by application/cbor (60) and
/// LwM2M CBOR (11544): Integer as a CBOR integer, Unsigned Integer as major type 0, Float as the shortest
/// exact float, Boolean, String and Corelnk as text, Opaque as a byte string, Time as tag 1 holding an
/// integer number of seconds, Objlnk as the text <c>"oid:iid"</c>.
/// </summary>
internal static class CborLwm2mValues
{
    /// <summary>The RFC 8949 tag for epoch-based date/time.</summary>
    public const ulong EpochTimeTag = 1;

    /// <summary>Writes one value; false when the value has no CBOR form (type None).</summary>
    public static bool TryWrite(ref CborWriter writer, Lwm2mValue value)
    {
        switch (value.Type)
        {
            case Lwm2mResourceType.Integer: writer.WriteInt64(value.AsInteger()); return true;
            case Lwm2mResourceType.UnsignedInteger: writer.WriteUInt64(value.AsUnsignedInteger()); return true;
            case Lwm2mResourceType.Float: writer.WriteDouble(value.AsFloat()); return true;
            case Lwm2mResourceType.Boolean: writer.WriteBoolean(value.AsBoolean()); return true;
            case Lwm2mResourceType.String or Lwm2mResourceType.Corelnk: writer.WriteTextString(value.AsString()); return true;
            case Lwm2mResourceType.Opaque: writer.WriteByteString(value.AsOpaque()); return true;
            case Lwm2mResourceType.Time:
                writer.WriteTag(EpochTimeTag);
                writer.WriteInt64(value.AsUnixTime());
                return true;
            case Lwm2mResourceType.Objlnk:
                WriteObjectLink(ref writer, value.AsObjectLink());
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes an Objlnk as <c>"oid:iid"</c> without allocating.</summary>
    public static void WriteObjectLink(ref CborWriter writer, Lwm2mObjectLink link)
    {
        Span<char> text = stackalloc char[11];
        link.ObjectId.TryFormat(text, out int o, provider: System.Globalization.CultureInfo.InvariantCulture);
        text[o] = ':';
        link.InstanceId.TryFormat(text[(o + 1)..], out int i, provider: System.Globalization.CultureInfo.InvariantCulture);
        writer.WriteTextString(text[..(o + 1 + i)]);
    }

    /// <summary>
    /// Reads one data item as a value of <paramref name="expected"/>; with no expected type (unknown
    /// resource) the item's natural type is used: integers as Integer (Unsigned Integer above
    /// <see cref="long.MaxValue"/>), floats as Float, text as String, bytes as Opaque, tag 1 as Time.
    /// Tags other than 1 are skipped and their content read.
    /// </summary>
    public static Lwm2mCodecError? TryRead(ref CborReader reader, Lwm2mResourceType? expected, out Lwm2mValue value)
    {
        value = default;
        int start = reader.Offset;
        bool timeTagged = false;
        CborReaderState state = reader.PeekState();
        while (state == CborReaderState.Tag)
        {
            if (!reader.TryReadTag(out ulong tag))
            {
                return FromReader(reader.Error);
            }

            timeTagged |= tag == EpochTimeTag;
            state = reader.PeekState();
        }

        Lwm2mResourceType type = expected ?? Natural(ref reader, state, timeTagged);
        switch (state)
        {
            case CborReaderState.Invalid:
                return FromReader(reader.Error);
            case CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger:
                if (type == Lwm2mResourceType.UnsignedInteger)
                {
                    if (state == CborReaderState.NegativeInteger || !reader.TryReadUInt64(out ulong u))
                    {
                        return Mismatch(start, "a negative number cannot be an Unsigned Integer");
                    }

                    value = Lwm2mValue.FromUnsignedInteger(u);
                    return null;
                }

                if (type is not (Lwm2mResourceType.Integer or Lwm2mResourceType.Float or Lwm2mResourceType.Time))
                {
                    return Mismatch(start, $"an integer where {type} belongs");
                }

                if (!reader.TryReadInt64(out long l))
                {
                    return reader.Error.Kind == CborErrorKind.Overflow ? Mismatch(start, "the integer is out of the signed 64-bit range") : FromReader(reader.Error);
                }

                value = type switch
                {
                    Lwm2mResourceType.Float => Lwm2mValue.FromFloat(l),
                    Lwm2mResourceType.Time => Lwm2mValue.FromUnixTime(l),
                    _ => Lwm2mValue.FromInteger(l),
                };
                return null;
            case CborReaderState.HalfFloat or CborReaderState.SingleFloat or CborReaderState.DoubleFloat:
                if (type is not (Lwm2mResourceType.Float or Lwm2mResourceType.Time))
                {
                    return Mismatch(start, $"a float where {type} belongs");
                }

                if (!reader.TryReadDouble(out double d))
                {
                    return FromReader(reader.Error);
                }

                if (type == Lwm2mResourceType.Time)
                {
                    if (!(d is >= -62135596800.0 and <= 253402300799.0))
                    {
                        return Mismatch(start, "the time is out of range");
                    }

                    value = Lwm2mValue.FromUnixTime((long)Math.Floor(d));
                    return null;
                }

                value = Lwm2mValue.FromFloat(d);
                return null;
            case CborReaderState.Boolean:
                if (type != Lwm2mResourceType.Boolean)
                {
                    return Mismatch(start, $"a boolean where {type} belongs");
                }

                reader.TryReadBoolean(out bool b);
                value = Lwm2mValue.FromBoolean(b);
                return null;
            case CborReaderState.TextString:
                if (type is not (Lwm2mResourceType.String or Lwm2mResourceType.Corelnk or Lwm2mResourceType.Objlnk))
                {
                    return Mismatch(start, $"a text string where {type} belongs");
                }

                if (!reader.TryReadTextString(out string text))
                {
                    return FromReader(reader.Error);
                }

                if (type == Lwm2mResourceType.Objlnk)
                {
                    if (!Lwm2mObjectLink.TryParse(text, out Lwm2mObjectLink link))
                    {
                        return Mismatch(start, $"'{text}' is not an object link like 3:0");
                    }

                    value = Lwm2mValue.FromObjectLink(link);
                    return null;
                }

                value = type == Lwm2mResourceType.Corelnk ? Lwm2mValue.FromCoreLink(text) : Lwm2mValue.FromString(text);
                return null;
            case CborReaderState.ByteString:
                if (type != Lwm2mResourceType.Opaque)
                {
                    return Mismatch(start, $"a byte string where {type} belongs");
                }

                if (!reader.TryReadByteString(out byte[] bytes))
                {
                    return FromReader(reader.Error);
                }

                value = Lwm2mValue.FromOpaque(bytes);
                return null;
            default:
                return Mismatch(start, $"{state} is not a resource value");
        }
    }

    private static Lwm2mResourceType Natural(ref CborReader reader, CborReaderState state, bool timeTagged)
    {
        if (timeTagged)
        {
            return Lwm2mResourceType.Time;
        }

        return state switch
        {
            CborReaderState.UnsignedInteger => IsAboveInt64(ref reader) ? Lwm2mResourceType.UnsignedInteger : Lwm2mResourceType.Integer,
            CborReaderState.NegativeInteger => Lwm2mResourceType.Integer,
            CborReaderState.HalfFloat or CborReaderState.SingleFloat or CborReaderState.DoubleFloat => Lwm2mResourceType.Float,
            CborReaderState.Boolean => Lwm2mResourceType.Boolean,
            CborReaderState.TextString => Lwm2mResourceType.String,
            CborReaderState.ByteString => Lwm2mResourceType.Opaque,
            _ => Lwm2mResourceType.None,
        };
    }

    private static bool IsAboveInt64(ref CborReader reader)
    {
        CborReader probe = reader;
        return probe.TryReadUInt64(out ulong u) && u > long.MaxValue;
    }

    /// <summary>A type-mismatch error at <paramref name="offset"/>.</summary>
    public static Lwm2mCodecError Mismatch(int offset, string what) => new(Lwm2mCodecErrorKind.TypeMismatch, $"The payload holds {what}.", offset);

    /// <summary>Maps a CBOR reading error to a codec error with the same offset.</summary>
    public static Lwm2mCodecError FromReader(CborError error)
    {
        Lwm2mCodecErrorKind kind = error.Kind switch
        {
            CborErrorKind.Truncated => Lwm2mCodecErrorKind.Truncated,
            CborErrorKind.NestingTooDeep => Lwm2mCodecErrorKind.NestingTooDeep,
            CborErrorKind.TooLarge => Lwm2mCodecErrorKind.TooLarge,
            CborErrorKind.UnexpectedType or CborErrorKind.Overflow => Lwm2mCodecErrorKind.TypeMismatch,
            _ => Lwm2mCodecErrorKind.Malformed,
        };
        return new Lwm2mCodecError(kind, "CBOR: " + error.Message, error.Offset);
    }
}
