using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.Tlv;

/// <summary>
/// Value bytes of TLV resources (TS Core §7.4.3.1): integers and times in the shortest of 1, 2, 4 or 8 bytes
/// (two's complement; unsigned integers unsigned), floats in 4 bytes when lossless else 8, booleans in 1 byte,
/// object links in 4, strings as UTF-8, opaque as is.
/// </summary>
internal static class TlvValues
{
    /// <summary>The number of value bytes <paramref name="value"/> takes.</summary>
    public static int Size(in Lwm2mValue value) => value.Type switch
    {
        Lwm2mResourceType.String or Lwm2mResourceType.Corelnk => Encoding.UTF8.GetByteCount(value.AsString()),
        Lwm2mResourceType.Integer => SignedSize(value.AsInteger()),
        Lwm2mResourceType.Time => SignedSize(value.AsUnixTime()),
        Lwm2mResourceType.UnsignedInteger => UnsignedSize(value.AsUnsignedInteger()),
        Lwm2mResourceType.Float => FitsSingle(value.AsFloat()) ? 4 : 8,
        Lwm2mResourceType.Boolean => 1,
        Lwm2mResourceType.Objlnk => 4,
        Lwm2mResourceType.Opaque => value.AsOpaque().Length,
        _ => 0,
    };

    /// <summary>Writes the value bytes; <paramref name="destination"/> holds exactly <see cref="Size"/> bytes.</summary>
    public static void Write(Span<byte> destination, in Lwm2mValue value)
    {
        switch (value.Type)
        {
            case Lwm2mResourceType.String or Lwm2mResourceType.Corelnk:
                Encoding.UTF8.GetBytes(value.AsString(), destination);
                break;
            case Lwm2mResourceType.Integer:
                WriteSigned(destination, value.AsInteger());
                break;
            case Lwm2mResourceType.Time:
                WriteSigned(destination, value.AsUnixTime());
                break;
            case Lwm2mResourceType.UnsignedInteger:
                ulong u = value.AsUnsignedInteger();
                for (int k = 0; k < destination.Length; k++)
                {
                    destination[k] = (byte)(u >> (8 * (destination.Length - 1 - k)));
                }

                break;
            case Lwm2mResourceType.Float:
                double d = value.AsFloat();
                if (destination.Length == 4)
                {
                    BinaryPrimitives.WriteSingleBigEndian(destination, (float)d);
                }
                else
                {
                    BinaryPrimitives.WriteDoubleBigEndian(destination, d);
                }

                break;
            case Lwm2mResourceType.Boolean:
                destination[0] = value.AsBoolean() ? (byte)1 : (byte)0;
                break;
            case Lwm2mResourceType.Objlnk:
                Lwm2mObjectLink link = value.AsObjectLink();
                BinaryPrimitives.WriteUInt16BigEndian(destination, link.ObjectId);
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], link.InstanceId);
                break;
            case Lwm2mResourceType.Opaque:
                value.AsOpaque().CopyTo(destination);
                break;
        }
    }

    /// <summary>Reads value bytes as <paramref name="type"/>; a length the type cannot have is a TypeMismatch.</summary>
    public static Lwm2mCodecError? Read(ReadOnlySpan<byte> bytes, Lwm2mResourceType type, int offset, out Lwm2mValue value)
    {
        value = default;
        switch (type)
        {
            case Lwm2mResourceType.String or Lwm2mResourceType.Corelnk:
                if (!Utf8.IsValid(bytes))
                {
                    return new Lwm2mCodecError(Lwm2mCodecErrorKind.TypeMismatch, $"The {type} value is not valid UTF-8.", offset);
                }

                string text = Encoding.UTF8.GetString(bytes);
                value = type == Lwm2mResourceType.String ? Lwm2mValue.FromString(text) : Lwm2mValue.FromCoreLink(text);
                return null;
            case Lwm2mResourceType.Integer or Lwm2mResourceType.Time:
                if (bytes.Length is not (1 or 2 or 4 or 8))
                {
                    return BadLength(type, bytes.Length, "1, 2, 4 or 8", offset);
                }

                long n = (sbyte)bytes[0];
                for (int k = 1; k < bytes.Length; k++)
                {
                    n = (n << 8) | bytes[k];
                }

                value = type == Lwm2mResourceType.Integer ? Lwm2mValue.FromInteger(n) : Lwm2mValue.FromUnixTime(n);
                return null;
            case Lwm2mResourceType.UnsignedInteger:
                if (bytes.Length is not (1 or 2 or 4 or 8))
                {
                    return BadLength(type, bytes.Length, "1, 2, 4 or 8", offset);
                }

                ulong u = 0;
                foreach (byte b in bytes)
                {
                    u = (u << 8) | b;
                }

                value = Lwm2mValue.FromUnsignedInteger(u);
                return null;
            case Lwm2mResourceType.Float:
                if (bytes.Length is not (4 or 8))
                {
                    return BadLength(type, bytes.Length, "4 or 8", offset);
                }

                value = Lwm2mValue.FromFloat(bytes.Length == 4 ? BinaryPrimitives.ReadSingleBigEndian(bytes) : BinaryPrimitives.ReadDoubleBigEndian(bytes));
                return null;
            case Lwm2mResourceType.Boolean:
                if (bytes.Length != 1 || bytes[0] > 1)
                {
                    return new Lwm2mCodecError(Lwm2mCodecErrorKind.TypeMismatch, "A Boolean TLV value is one byte, 0 or 1.", offset);
                }

                value = Lwm2mValue.FromBoolean(bytes[0] == 1);
                return null;
            case Lwm2mResourceType.Objlnk:
                if (bytes.Length != 4)
                {
                    return BadLength(type, bytes.Length, "4", offset);
                }

                value = Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(BinaryPrimitives.ReadUInt16BigEndian(bytes), BinaryPrimitives.ReadUInt16BigEndian(bytes[2..])));
                return null;
            case Lwm2mResourceType.Opaque:
                value = Lwm2mValue.FromOpaque(bytes.ToArray());
                return null;
            default:
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.TypeMismatch, "The resource has no value (it is executable).", offset);
        }
    }

    private static Lwm2mCodecError BadLength(Lwm2mResourceType type, int length, string allowed, int offset) =>
        new(Lwm2mCodecErrorKind.TypeMismatch, $"A {type} TLV value is {allowed} bytes, not {length}.", offset);

    private static int SignedSize(long v) =>
        v is >= sbyte.MinValue and <= sbyte.MaxValue ? 1 : v is >= short.MinValue and <= short.MaxValue ? 2 : v is >= int.MinValue and <= int.MaxValue ? 4 : 8;

    private static int UnsignedSize(ulong v) => v <= byte.MaxValue ? 1 : v <= ushort.MaxValue ? 2 : v <= uint.MaxValue ? 4 : 8;

    private static bool FitsSingle(double d) => !double.IsNaN(d) && (double)(float)d == d;

    private static void WriteSigned(Span<byte> destination, long v)
    {
        for (int k = 0; k < destination.Length; k++)
        {
            destination[k] = (byte)(v >> (8 * (destination.Length - 1 - k)));
        }
    }
}
