using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats;

/// <summary>The writing pieces both JSON formats spell the same way: the keys they share, numbers, times, links, base64.</summary>
internal static partial class JsonSupport
{
    /// <summary>The base name key.</summary>
    public static readonly JsonEncodedText BaseNameKey = JsonEncodedText.Encode("bn");

    /// <summary>The name key.</summary>
    public static readonly JsonEncodedText NameKey = JsonEncodedText.Encode("n");

    /// <summary>The time key (seconds since the Unix epoch).</summary>
    public static readonly JsonEncodedText TimeKey = JsonEncodedText.Encode("t");

    /// <summary>The numeric value key.</summary>
    public static readonly JsonEncodedText NumberKey = JsonEncodedText.Encode("v");

    /// <summary>
    /// Writes an Integer, Time, Unsigned Integer or finite Float value under "v"; false (nothing written) for any
    /// other type and for infinities and NaN, which JSON cannot hold.
    /// </summary>
    public static bool TryWriteNumber(Utf8JsonWriter writer, in Lwm2mValue value)
    {
        switch (value.Type)
        {
            case Lwm2mResourceType.Integer:
                writer.WriteNumber(NumberKey, value.AsInteger());
                return true;
            case Lwm2mResourceType.Time:
                writer.WriteNumber(NumberKey, value.AsUnixTime());
                return true;
            case Lwm2mResourceType.UnsignedInteger:
                writer.WriteNumber(NumberKey, value.AsUnsignedInteger());
                return true;
            case Lwm2mResourceType.Float when double.IsFinite(value.AsFloat()):
                writer.WriteNumber(NumberKey, value.AsFloat());
                return true;
            default:
                return false;
        }
    }

    /// <summary>Writes <paramref name="time"/> under "t" as seconds since the Unix epoch, to the millisecond.</summary>
    public static void WriteTime(Utf8JsonWriter writer, DateTimeOffset time) =>
        writer.WriteNumber(TimeKey, time.ToUnixTimeMilliseconds() / 1000.0);

    /// <summary>Writes an object link as the string "objectId:instanceId" under <paramref name="key"/>.</summary>
    public static void WriteObjectLink(Utf8JsonWriter writer, JsonEncodedText key, Lwm2mObjectLink link)
    {
        Span<byte> text = stackalloc byte[16];
        link.ObjectId.TryFormat(text, out int o, default, CultureInfo.InvariantCulture);
        text[o] = (byte)':';
        link.InstanceId.TryFormat(text[(o + 1)..], out int i, default, CultureInfo.InvariantCulture);
        writer.WriteString(key, text[..(o + 1 + i)]);
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> as a base64 string under <paramref name="key"/>: the URL-safe alphabet without
    /// padding when <paramref name="url"/> is set, else standard base64. Small values stay on the stack.
    /// </summary>
    public static void WriteBase64(Utf8JsonWriter writer, JsonEncodedText key, byte[] bytes, bool url)
    {
        int length = url ? Base64Url.GetEncodedLength(bytes.Length) : Base64.GetMaxEncodedToUtf8Length(bytes.Length);
        byte[]? rented = length > 256 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> text = rented ?? stackalloc byte[256];
        int written;
        if (url)
        {
            written = Base64Url.EncodeToUtf8(bytes, text);
        }
        else
        {
            Base64.EncodeToUtf8(bytes, text, out _, out written);
        }

        writer.WriteString(key, text[..written]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
