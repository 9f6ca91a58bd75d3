using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Tern.Lwm2m.Formats;

/// <summary>
/// The table of content codecs keyed by CoAP Content-Format number, with the short names tools use
/// (<c>tlv</c>, <c>senml-json</c>, <c>senml-cbor</c>, <c>lwm2m-cbor</c>, <c>text</c>, <c>json</c> …).
/// Engines look codecs up here to answer Accept and Content-Format; nothing else lists formats.
/// </summary>
public sealed class Lwm2mContentFormatRegistry
{
    private static readonly Dictionary<string, ushort> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text"] = Lwm2mContentFormat.Text,
        ["plain"] = Lwm2mContentFormat.Text,
        ["link"] = Lwm2mContentFormat.LinkFormat,
        ["link-format"] = Lwm2mContentFormat.LinkFormat,
        ["opaque"] = Lwm2mContentFormat.Opaque,
        ["octet-stream"] = Lwm2mContentFormat.Opaque,
        ["cbor"] = Lwm2mContentFormat.Cbor,
        ["senml-json"] = Lwm2mContentFormat.SenmlJson,
        ["senml+json"] = Lwm2mContentFormat.SenmlJson,
        ["senml-cbor"] = Lwm2mContentFormat.SenmlCbor,
        ["senml+cbor"] = Lwm2mContentFormat.SenmlCbor,
        ["tlv"] = Lwm2mContentFormat.Tlv,
        ["json"] = Lwm2mContentFormat.OmaJson,
        ["oma-json"] = Lwm2mContentFormat.OmaJson,
        ["lwm2m-json"] = Lwm2mContentFormat.OmaJson,
        ["lwm2m-cbor"] = Lwm2mContentFormat.Lwm2mCbor,
    };

    private readonly SortedDictionary<ushort, ILwm2mContentCodec> _codecs = [];

    /// <summary>Creates a registry holding the given codecs; a later codec for the same number replaces an earlier one.</summary>
    public Lwm2mContentFormatRegistry(IEnumerable<ILwm2mContentCodec> codecs)
    {
        ArgumentNullException.ThrowIfNull(codecs);
        foreach (ILwm2mContentCodec codec in codecs)
        {
            _codecs[codec.ContentFormat] = codec;
        }
    }

    /// <summary>Every codec Tern ships.</summary>
    public static Lwm2mContentFormatRegistry Default { get; } = new(BuiltInCodecs.Create());

    /// <summary>The registered codecs in content-format order.</summary>
    public IReadOnlyCollection<ILwm2mContentCodec> Codecs => _codecs.Values;

    /// <summary>Finds the codec for a Content-Format number.</summary>
    public bool TryGet(ushort contentFormat, [NotNullWhen(true)] out ILwm2mContentCodec? codec) =>
        _codecs.TryGetValue(contentFormat, out codec);

    /// <summary>Finds a codec by short name (<c>senml-cbor</c>), media type, or number (<c>112</c>).</summary>
    public bool TryGet(string nameOrNumber, [NotNullWhen(true)] out ILwm2mContentCodec? codec)
    {
        ArgumentNullException.ThrowIfNull(nameOrNumber);
        codec = null;
        string key = nameOrNumber.Trim();
        if (ushort.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out ushort number) || Aliases.TryGetValue(key, out number))
        {
            return TryGet(number, out codec);
        }

        codec = _codecs.Values.FirstOrDefault(c =>
            string.Equals(c.Name, key, StringComparison.OrdinalIgnoreCase) || string.Equals(c.MediaType, key, StringComparison.OrdinalIgnoreCase));
        return codec is not null;
    }

    /// <summary>The names <see cref="TryGet(string, out ILwm2mContentCodec?)"/> accepts, for help texts.</summary>
    public static IReadOnlyCollection<string> KnownNames => Aliases.Keys;
}
