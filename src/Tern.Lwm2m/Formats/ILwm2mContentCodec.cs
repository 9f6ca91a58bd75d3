using System.Buffers;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats;

/// <summary>
/// One LwM2M content format: an encoder and a decoder. Node operations serve Read/Write on a single
/// path; record operations serve composite operations, Send and time series (SenML-shaped formats).
/// A format that cannot do one of them answers with an <see cref="Lwm2mCodecErrorKind.Unsupported"/> error.
/// Encoders write into the caller's buffer; decoders never throw on bad payloads.
/// </summary>
public interface ILwm2mContentCodec
{
    /// <summary>The CoAP Content-Format number.</summary>
    ushort ContentFormat { get; }

    /// <summary>The short name used by the CLI, e.g. <c>senml-cbor</c>.</summary>
    string Name { get; }

    /// <summary>The media type, e.g. <c>application/senml+cbor</c>.</summary>
    string MediaType { get; }

    /// <summary>True when the format is binary (shown as hex by tools).</summary>
    bool IsBinary { get; }

    /// <summary>True when the format carries records (composite, time series).</summary>
    bool SupportsRecords { get; }

    /// <summary>Encodes <paramref name="node"/>, found at <paramref name="path"/>. Returns null on success.</summary>
    Lwm2mCodecError? EncodeNode(Lwm2mPath path, Lwm2mNode node, IBufferWriter<byte> output);

    /// <summary>Decodes the payload of a request or response on <paramref name="path"/>.</summary>
    Lwm2mCodecResult<Lwm2mNode> DecodeNode(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model);

    /// <summary>Encodes records (absolute paths, optional timestamps). Returns null on success.</summary>
    Lwm2mCodecError? EncodeRecords(IReadOnlyList<Lwm2mRecord> records, IBufferWriter<byte> output);

    /// <summary>Decodes records, resolving base names and times to absolute paths and timestamps.</summary>
    Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> DecodeRecords(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model);
}
