using System.Buffers;
using System.Buffers.Text;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats;

/// <summary>Text a JSON reader kept for a value: as characters, and as a string when the value needs one.</summary>
internal interface IJsonText
{
    /// <summary>The characters.</summary>
    ReadOnlySpan<char> Span { get; }

    /// <summary>The characters as a string (a reader that already holds a string returns it as is).</summary>
    string ToText();
}

/// <summary>The reading piece both JSON formats share: a value, once its field matched its type, becomes an <see cref="Lwm2mValue"/>.</summary>
internal static partial class JsonSupport
{
    /// <summary>
    /// Reads a value of <paramref name="type"/> from what the format's field held: <paramref name="text"/> for
    /// strings, links and base64 (URL-safe without padding when <paramref name="base64Url"/> is set), the raw
    /// <paramref name="number"/> token, or <paramref name="boolean"/>. A TypeMismatch at <paramref name="offset"/> when it does not fit.
    /// </summary>
    public static Lwm2mCodecError? ToValue<TText>(Lwm2mResourceType type, ReadOnlySpan<byte> number, TText text, bool boolean, bool base64Url, int offset, out Lwm2mValue value)
        where TText : struct, IJsonText
    {
        value = default;
        switch (type)
        {
            case Lwm2mResourceType.String:
                value = Lwm2mValue.FromString(text.ToText());
                return null;
            case Lwm2mResourceType.Corelnk:
                value = Lwm2mValue.FromCoreLink(text.ToText());
                return null;
            case Lwm2mResourceType.Boolean:
                value = Lwm2mValue.FromBoolean(boolean);
                return null;
            case Lwm2mResourceType.Objlnk when Lwm2mObjectLink.TryParse(text.Span, out Lwm2mObjectLink link):
                value = Lwm2mValue.FromObjectLink(link);
                return null;
            case Lwm2mResourceType.Opaque when (base64Url ? DecodeBase64Url(text.Span) : DecodeBase64(text.Span)) is { } bytes:
                value = Lwm2mValue.FromOpaque(bytes);
                return null;
            case Lwm2mResourceType.Integer or Lwm2mResourceType.Time or Lwm2mResourceType.UnsignedInteger or Lwm2mResourceType.Float
                when TryNumber(number, type, out value):
                return null;
            default:
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.TypeMismatch, $"The value is not a valid {type}.", offset);
        }
    }

    /// <summary>Standard base64 (OMA JSON), or null when the text is not.</summary>
    private static byte[]? DecodeBase64(ReadOnlySpan<char> text)
    {
        byte[] scratch = ArrayPool<byte>.Shared.Rent((text.Length / 4 * 3) + 3);
        try
        {
            return Convert.TryFromBase64Chars(text, scratch, out int written) ? scratch.AsSpan(0, written).ToArray() : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>URL-safe base64 without padding (SenML "vd"), or null when the text is not.</summary>
    private static byte[]? DecodeBase64Url(ReadOnlySpan<char> text)
    {
        Span<byte> utf8 = text.Length <= 256 ? stackalloc byte[text.Length] : new byte[text.Length];
        for (int k = 0; k < text.Length; k++)
        {
            if (text[k] > 0x7F)
            {
                return null;
            }

            utf8[k] = (byte)text[k];
        }

        if (!Base64Url.IsValid(utf8, out int length))
        {
            return null;
        }

        byte[] bytes = new byte[length];
        Base64Url.DecodeFromUtf8(utf8, bytes, out _, out _);
        return bytes;
    }
}
