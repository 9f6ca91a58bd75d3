using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Tern.Lwm2m.Formats;

namespace Tern.Lwm2m.Model;

/// <summary>
/// Reads and writes single values in the LwM2M plain-text form (TS Core 1.1 §7.4.1 and Appendix C):
/// String and Corelnk as the text itself; Integer and Time as an ASCII signed decimal; Unsigned Integer
/// as an ASCII unsigned decimal; Float as an ASCII decimal with optional fraction and exponent; Boolean
/// as <c>0</c> or <c>1</c>; Objlnk as <c>objectId:instanceId</c>; Opaque as base64 (RFC 4648, padded).
/// </summary>
/// <remarks>
/// Parsing is strict so that one value has one spelling: no surrounding whitespace, no <c>+</c> sign,
/// no thousands separators, no <c>true</c>/<c>false</c> (the TS names only 0 and 1), no NaN or
/// infinities, no whitespace inside base64. Leading zeros in numbers are accepted (<c>007</c> is 7).
/// Floats are written in the shortest form that reads back to the same double, e.g. <c>1E+20</c>.
/// Bad text gives a typed error with the character (or byte) offset of the problem, never an exception.
/// </remarks>
public static class Lwm2mValueConverter
{
    /// <summary>The longest number text accepted; longer numbers are refused as too large.</summary>
    public const int MaxNumberLength = 128;

    /// <summary>Parses <paramref name="text"/> as a value of <paramref name="type"/>.</summary>
    public static Lwm2mCodecResult<Lwm2mValue> Parse(ReadOnlySpan<char> text, Lwm2mResourceType type) => type switch
    {
        Lwm2mResourceType.String => Ok(Lwm2mValue.FromString(text.ToString())),
        Lwm2mResourceType.Corelnk => Ok(Lwm2mValue.FromCoreLink(text.ToString())),
        Lwm2mResourceType.Integer => ParseSigned(text, type),
        Lwm2mResourceType.Time => ParseSigned(text, type),
        Lwm2mResourceType.UnsignedInteger => ParseUnsigned(text),
        Lwm2mResourceType.Float => ParseFloat(text),
        Lwm2mResourceType.Boolean => text switch
        {
            "0" => Ok(Lwm2mValue.FromBoolean(false)),
            "1" => Ok(Lwm2mValue.FromBoolean(true)),
            _ => Error(Lwm2mCodecErrorKind.TypeMismatch, $"'{Show(text)}' is not a Boolean: plain text allows only 0 or 1.", 0),
        },
        Lwm2mResourceType.Objlnk => ParseObjectLink(text),
        Lwm2mResourceType.Opaque => ParseBase64(text),
        _ => Error(Lwm2mCodecErrorKind.Unsupported, $"A resource of type {type} carries no value to parse.", -1),
    };

    /// <summary>Parses UTF-8 <paramref name="utf8"/> (a text/plain payload) as a value of <paramref name="type"/>.</summary>
    public static Lwm2mCodecResult<Lwm2mValue> ParseUtf8(ReadOnlySpan<byte> utf8, Lwm2mResourceType type)
    {
        if (type is Lwm2mResourceType.String or Lwm2mResourceType.Corelnk && Utf8.IsValid(utf8))
        {
            // The text is the value: decode it once, straight into the string the value keeps.
            string text = Encoding.UTF8.GetString(utf8);
            return Ok(type == Lwm2mResourceType.String ? Lwm2mValue.FromString(text) : Lwm2mValue.FromCoreLink(text));
        }

        if (type is Lwm2mResourceType.String or Lwm2mResourceType.Corelnk or Lwm2mResourceType.Opaque || utf8.Length > MaxNumberLength)
        {
            char[] chars = new char[utf8.Length];
            OperationStatus status = Utf8.ToUtf16(utf8, chars, out int read, out int written, replaceInvalidSequences: false);
            return status == OperationStatus.Done
                ? Parse(chars.AsSpan(0, written), type)
                : Error(Lwm2mCodecErrorKind.Malformed, "The text is not valid UTF-8.", read);
        }

        // Numbers, booleans and links are ASCII: widen without allocating.
        Span<char> ascii = stackalloc char[utf8.Length];
        for (int i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] >= 0x80)
            {
                return Error(Lwm2mCodecErrorKind.TypeMismatch, $"A {type} value is ASCII; byte 0x{utf8[i]:X2} is not.", i);
            }

            ascii[i] = (char)utf8[i];
        }

        return Parse(ascii, type);
    }

    /// <summary>Formats a value as plain text. Fails for a value without a type and for NaN or infinite floats.</summary>
    public static Lwm2mCodecResult<string> Format(Lwm2mValue value) => value.Type switch
    {
        Lwm2mResourceType.Opaque => Lwm2mCodecResult<string>.Success(Convert.ToBase64String(value.AsOpaque())),
        Lwm2mResourceType.Float when !double.IsFinite(value.AsFloat()) =>
            Lwm2mCodecResult<string>.Failure(Lwm2mCodecErrorKind.Unsupported, $"Plain text cannot carry the float {value.AsFloat().ToString(CultureInfo.InvariantCulture)}."),
        Lwm2mResourceType.None => Lwm2mCodecResult<string>.Failure(Lwm2mCodecErrorKind.Unsupported, "A value without a type has no text form."),
        _ => Lwm2mCodecResult<string>.Success(value.ToString()),
    };

    /// <summary>Writes a value as UTF-8 plain text into <paramref name="output"/>. Returns null on success.</summary>
    public static Lwm2mCodecError? FormatUtf8(Lwm2mValue value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        switch (value.Type)
        {
            case Lwm2mResourceType.Integer or Lwm2mResourceType.Time:
                return WriteNumber(value.Type == Lwm2mResourceType.Time ? value.AsUnixTime() : value.AsInteger(), output);
            case Lwm2mResourceType.UnsignedInteger:
                return WriteNumber(value.AsUnsignedInteger(), output);
            case Lwm2mResourceType.Boolean:
                output.Write(value.AsBoolean() ? "1"u8 : "0"u8);
                return null;
            case Lwm2mResourceType.Float when double.IsFinite(value.AsFloat()):
                return WriteNumber(value.AsFloat(), output, "R");
            case Lwm2mResourceType.String or Lwm2mResourceType.Corelnk:
                string str = value.AsString();
                output.Advance(Encoding.UTF8.GetBytes(str, output.GetSpan(Encoding.UTF8.GetByteCount(str))));
                return null;
            case Lwm2mResourceType.Opaque:
                byte[] bytes = value.AsOpaque();
                System.Buffers.Text.Base64.EncodeToUtf8(bytes, output.GetSpan(System.Buffers.Text.Base64.GetMaxEncodedToUtf8Length(bytes.Length)), out _, out int encoded);
                output.Advance(encoded);
                return null;
            case Lwm2mResourceType.Objlnk:
                Lwm2mObjectLink link = value.AsObjectLink();
                WriteNumber(link.ObjectId, output);
                output.Write(":"u8);
                return WriteNumber(link.InstanceId, output);
            default:
                Lwm2mCodecResult<string> text = Format(value);
                if (!text.IsSuccess)
                {
                    return text.Error;
                }

                string s = text.Value!;
                int written = Encoding.UTF8.GetBytes(s, output.GetSpan(Encoding.UTF8.GetMaxByteCount(s.Length)));
                output.Advance(written);
                return null;
        }
    }

    private static Lwm2mCodecError? WriteNumber<T>(T number, IBufferWriter<byte> output, string? format = null)
        where T : IUtf8SpanFormattable
    {
        Span<byte> span = output.GetSpan(32);
        if (!number.TryFormat(span, out int written, format, CultureInfo.InvariantCulture))
        {
            span = output.GetSpan(64);
            number.TryFormat(span, out written, format, CultureInfo.InvariantCulture);
        }

        output.Advance(written);
        return null;
    }

    private static Lwm2mCodecResult<Lwm2mValue> ParseSigned(ReadOnlySpan<char> text, Lwm2mResourceType type)
    {
        int digitsAt = text.StartsWith('-') ? 1 : 0;
        if (CheckDigits(text, digitsAt, type) is { } bad)
        {
            return bad;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
            ? Ok(type == Lwm2mResourceType.Time ? Lwm2mValue.FromUnixTime(n) : Lwm2mValue.FromInteger(n))
            : Error(Lwm2mCodecErrorKind.TooLarge, $"'{Show(text)}' does not fit a signed 64-bit {type}.", 0);
    }

    private static Lwm2mCodecResult<Lwm2mValue> ParseUnsigned(ReadOnlySpan<char> text)
    {
        if (CheckDigits(text, 0, Lwm2mResourceType.UnsignedInteger) is { } bad)
        {
            return bad;
        }

        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong n)
            ? Ok(Lwm2mValue.FromUnsignedInteger(n))
            : Error(Lwm2mCodecErrorKind.TooLarge, $"'{Show(text)}' does not fit an unsigned 64-bit integer.", 0);
    }

    private static Lwm2mCodecError? CheckDigits(ReadOnlySpan<char> text, int from, Lwm2mResourceType type)
    {
        if (text.Length > MaxNumberLength)
        {
            return new(Lwm2mCodecErrorKind.TooLarge, $"A {type} of {text.Length} characters is too long.", 0);
        }

        if (text.Length == from)
        {
            return new(Lwm2mCodecErrorKind.TypeMismatch, $"'{Show(text)}' is not a {type}: it has no digits.", from);
        }

        int bad = text[from..].IndexOfAnyExcept(Digits);
        return bad < 0 ? null : new(Lwm2mCodecErrorKind.TypeMismatch, $"'{Show(text)}' is not a {type}: only decimal digits{(type == Lwm2mResourceType.UnsignedInteger ? "" : " after an optional '-'")} are allowed.", from + bad);
    }

    private static Lwm2mCodecResult<Lwm2mValue> ParseFloat(ReadOnlySpan<char> text)
    {
        if (text.Length > MaxNumberLength)
        {
            return Error(Lwm2mCodecErrorKind.TooLarge, $"A Float of {text.Length} characters is too long.", 0);
        }

        // -?(digits(.digits?)?|.digits)([eE][+-]?digits)?
        int i = text.StartsWith('-') ? 1 : 0;
        int intDigits = CountDigits(text, ref i), fracDigits = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            fracDigits = CountDigits(text, ref i);
        }

        if (intDigits + fracDigits == 0)
        {
            return Error(Lwm2mCodecErrorKind.TypeMismatch, $"'{Show(text)}' is not a Float: it needs digits.", i);
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (CountDigits(text, ref i) == 0)
            {
                return Error(Lwm2mCodecErrorKind.TypeMismatch, $"'{Show(text)}' is not a Float: the exponent has no digits.", i);
            }
        }

        if (i != text.Length)
        {
            return Error(Lwm2mCodecErrorKind.TypeMismatch, $"'{Show(text)}' is not a Float: unexpected '{text[i]}'.", i);
        }

        double d = double.Parse(text, NumberStyles.Float & ~NumberStyles.AllowLeadingWhite & ~NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture);
        return double.IsFinite(d)
            ? Ok(Lwm2mValue.FromFloat(d))
            : Error(Lwm2mCodecErrorKind.TooLarge, $"'{Show(text)}' is beyond the range of a 64-bit float.", 0);
    }

    private static int CountDigits(ReadOnlySpan<char> text, ref int i)
    {
        int start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i - start;
    }

    private static Lwm2mCodecResult<Lwm2mValue> ParseObjectLink(ReadOnlySpan<char> text)
    {
        int colon = text.IndexOf(':');
        if (colon < 0)
        {
            return Error(Lwm2mCodecErrorKind.TypeMismatch, $"'{Show(text)}' is not an Objlnk: expected objectId:instanceId, e.g. 3:0.", 0);
        }

        return Lwm2mObjectLink.TryParse(text, out Lwm2mObjectLink link)
            ? Ok(Lwm2mValue.FromObjectLink(link))
            : Error(Lwm2mCodecErrorKind.TypeMismatch, $"'{Show(text)}' is not an Objlnk: both ids are decimal numbers in 0–65535.", 0);
    }

    private static Lwm2mCodecResult<Lwm2mValue> ParseBase64(ReadOnlySpan<char> text)
    {
        int bad = text.IndexOfAnyExcept(Base64Chars);
        if (bad >= 0)
        {
            return Error(Lwm2mCodecErrorKind.Malformed, $"Opaque text is base64; '{text[bad]}' is not a base64 character.", bad);
        }

        byte[] bytes = new byte[text.Length / 4 * 3];
        return text.Length % 4 == 0 && Convert.TryFromBase64Chars(text, bytes, out int written)
            ? Ok(Lwm2mValue.FromOpaque(written == bytes.Length ? bytes : bytes[..written]))
            : Error(Lwm2mCodecErrorKind.Malformed, "Opaque text is not valid padded base64 (RFC 4648).", 0);
    }

    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    private static readonly SearchValues<char> Base64Chars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    private static string Show(ReadOnlySpan<char> text) => text.Length <= 32 ? text.ToString() : string.Concat(text[..32], "…");

    private static Lwm2mCodecResult<Lwm2mValue> Ok(Lwm2mValue value) => Lwm2mCodecResult<Lwm2mValue>.Success(value);

    private static Lwm2mCodecResult<Lwm2mValue> Error(Lwm2mCodecErrorKind kind, string message, int offset) =>
        Lwm2mCodecResult<Lwm2mValue>.Failure(kind, message, offset);
}
