using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.Text;

/// <summary>
/// The text form of single values (LwM2M TS 1.1 Core §7.4.1 and Appendix C): integers, unsigned integers and
/// times in decimal (times as Unix seconds), floats in shortest round-trip decimal, booleans "0"/"1", object
/// links "o:i", opaque as base64, strings and CoRE links as UTF-8.
/// </summary>
internal static class TextValues
{
    private const int MaxNumberLength = 32;

    /// <summary>Writes <paramref name="value"/> as UTF-8 text without allocating (opaque and strings copy straight into the buffer).</summary>
    public static void Write(IBufferWriter<byte> output, in Lwm2mValue value)
    {
        int written;
        Span<byte> span;
        switch (value.Type)
        {
            case Lwm2mResourceType.String or Lwm2mResourceType.Corelnk:
                string text = value.AsString();
                span = output.GetSpan(Encoding.UTF8.GetByteCount(text));
                written = Encoding.UTF8.GetBytes(text, span);
                break;
            case Lwm2mResourceType.Opaque:
                byte[] bytes = value.AsOpaque();
                span = output.GetSpan(Base64.GetMaxEncodedToUtf8Length(bytes.Length));
                Base64.EncodeToUtf8(bytes, span, out _, out written);
                break;
            case Lwm2mResourceType.Objlnk:
                Lwm2mObjectLink link = value.AsObjectLink();
                span = output.GetSpan(MaxNumberLength);
                link.ObjectId.TryFormat(span, out int o, default, CultureInfo.InvariantCulture);
                span[o] = (byte)':';
                link.InstanceId.TryFormat(span[(o + 1)..], out int i, default, CultureInfo.InvariantCulture);
                written = o + 1 + i;
                break;
            default:
                span = output.GetSpan(MaxNumberLength);
                written = FormatNumber(span, value);
                break;
        }

        output.Advance(written);
    }

    private static int FormatNumber(Span<byte> span, in Lwm2mValue value)
    {
        int written;
        switch (value.Type)
        {
            case Lwm2mResourceType.Integer:
                value.AsInteger().TryFormat(span, out written, default, CultureInfo.InvariantCulture);
                return written;
            case Lwm2mResourceType.Time:
                value.AsUnixTime().TryFormat(span, out written, default, CultureInfo.InvariantCulture);
                return written;
            case Lwm2mResourceType.UnsignedInteger:
                value.AsUnsignedInteger().TryFormat(span, out written, default, CultureInfo.InvariantCulture);
                return written;
            case Lwm2mResourceType.Float:
                value.AsFloat().TryFormat(span, out written, "R", CultureInfo.InvariantCulture);
                return written;
            case Lwm2mResourceType.Boolean:
                span[0] = value.AsBoolean() ? (byte)'1' : (byte)'0';
                return 1;
            default:
                return 0;
        }
    }

    /// <summary>Parses UTF-8 <paramref name="text"/> as a <paramref name="type"/> value; a text that does not fit is a TypeMismatch.</summary>
    public static Lwm2mCodecError? Parse(ReadOnlySpan<byte> text, Lwm2mResourceType type, int offset, out Lwm2mValue value)
    {
        value = default;
        const NumberStyles Signed = NumberStyles.AllowLeadingSign;
        const NumberStyles Real = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        switch (type)
        {
            case Lwm2mResourceType.String or Lwm2mResourceType.Corelnk:
                if (!Utf8.IsValid(text))
                {
                    return Mismatch(type, offset, "is not valid UTF-8");
                }

                string s = Encoding.UTF8.GetString(text);
                value = type == Lwm2mResourceType.String ? Lwm2mValue.FromString(s) : Lwm2mValue.FromCoreLink(s);
                return null;
            case Lwm2mResourceType.Integer when long.TryParse(text, Signed, CultureInfo.InvariantCulture, out long n):
                value = Lwm2mValue.FromInteger(n);
                return null;
            case Lwm2mResourceType.Time when long.TryParse(text, Signed, CultureInfo.InvariantCulture, out long t):
                value = Lwm2mValue.FromUnixTime(t);
                return null;
            case Lwm2mResourceType.UnsignedInteger when ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u):
                value = Lwm2mValue.FromUnsignedInteger(u);
                return null;
            case Lwm2mResourceType.Float when double.TryParse(text, Real, CultureInfo.InvariantCulture, out double d):
                value = Lwm2mValue.FromFloat(d);
                return null;
            case Lwm2mResourceType.Boolean when text.Length == 1 && text[0] is (byte)'0' or (byte)'1':
                value = Lwm2mValue.FromBoolean(text[0] == '1');
                return null;
            case Lwm2mResourceType.Objlnk when TryParseLink(text, out Lwm2mObjectLink link):
                value = Lwm2mValue.FromObjectLink(link);
                return null;
            case Lwm2mResourceType.Opaque:
                if (Base64.IsValid(text, out int length))
                {
                    byte[] bytes = new byte[length];
                    Base64.DecodeFromUtf8(text, bytes, out _, out _);
                    value = Lwm2mValue.FromOpaque(bytes);
                    return null;
                }

                return Mismatch(type, offset, "is not base64");
            case Lwm2mResourceType.None:
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.TypeMismatch, "The resource has no value (it is executable).", offset);
            default:
                return Mismatch(type, offset, type switch
                {
                    Lwm2mResourceType.Boolean => "is not \"0\" or \"1\"",
                    Lwm2mResourceType.Objlnk => "is not an object link like \"3:0\"",
                    _ => "is not a number in range",
                });
        }
    }

    private static bool TryParseLink(ReadOnlySpan<byte> text, out Lwm2mObjectLink link)
    {
        link = default;
        int colon = text.IndexOf((byte)':');
        if (colon < 0 || !ushort.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out ushort o)
            || !ushort.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out ushort i))
        {
            return false;
        }

        link = new Lwm2mObjectLink(o, i);
        return true;
    }

    private static Lwm2mCodecError Mismatch(Lwm2mResourceType type, int offset, string problem) =>
        new(Lwm2mCodecErrorKind.TypeMismatch, $"The text {problem}, as a {type} value must be.", offset);
}
