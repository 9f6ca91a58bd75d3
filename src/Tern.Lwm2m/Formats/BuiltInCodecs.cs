using Tern.Lwm2m.Formats.Cbor;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Formats.Lwm2mCbor;
using Tern.Lwm2m.Formats.OmaJson;
using Tern.Lwm2m.Formats.Opaque;
using Tern.Lwm2m.Formats.SenmlCbor;
using Tern.Lwm2m.Formats.SenmlJson;
using Tern.Lwm2m.Formats.Text;
using Tern.Lwm2m.Formats.Tlv;

namespace Tern.Lwm2m.Formats;

/// <summary>The list of codecs that make up <see cref="Lwm2mContentFormatRegistry.Default"/>.</summary>
internal static class BuiltInCodecs
{
    public static IEnumerable<ILwm2mContentCodec> Create() =>
    [
        new TextCodec(),
        new LinkFormatCodec(),
        new OpaqueCodec(),
        new CborCodec(),
        new SenmlJsonCodec(),
        new SenmlCborCodec(),
        new TlvCodec(),
        new OmaJsonCodec(),
        new Lwm2mCborCodec(),
    ];
}
