using Tern.Lwm2m.Formats.Cbor;
using Tern.Lwm2m.Formats.Lwm2mCbor;
using Tern.Lwm2m.Formats.SenmlCbor;

namespace Tern.Lwm2m.Formats;

/// <summary>The list of codecs that make up <see cref="Lwm2mContentFormatRegistry.Default"/>.</summary>
internal static class BuiltInCodecs
{
    public static IEnumerable<ILwm2mContentCodec> Create() =>
    [
        new CborCodec(),
        new SenmlCborCodec(),
        new Lwm2mCborCodec(),
    ];
}
