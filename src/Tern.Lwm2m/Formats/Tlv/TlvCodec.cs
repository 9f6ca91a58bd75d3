using System.Buffers;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.Tlv;

/// <summary>
/// application/vnd.oma.lwm2m+tlv (11542, LwM2M TS Core §7.4.3). Carries objects, object instances,
/// resources and resource instances, not the root and not records. An instance is written as its
/// resource TLVs (no wrapping Object Instance TLV); on decode both forms are accepted.
/// Decoding needs the model to learn value types; an unknown resource is an UnknownResource error.
/// </summary>
public sealed class TlvCodec : ILwm2mContentCodec
{
    /// <inheritdoc />
    public ushort ContentFormat => Lwm2mContentFormat.Tlv;

    /// <inheritdoc />
    public string Name => "tlv";

    /// <inheritdoc />
    public string MediaType => "application/vnd.oma.lwm2m+tlv";

    /// <inheritdoc />
    public bool IsBinary => true;

    /// <inheritdoc />
    public bool SupportsRecords => false;

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeNode(Lwm2mPath path, Lwm2mNode node, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(output);
        if (!CodecModel.FitsLevel(path, node))
        {
            return path.IsRoot
                ? CodecModel.Unsupported("TLV", path, "the root")
                : new Lwm2mCodecError(Lwm2mCodecErrorKind.PathMismatch, $"A {node.GetType().Name} does not live at {path}.");
        }

        return TlvEncoder.Encode(path, node, output);
    }

    /// <inheritdoc />
    public Lwm2mCodecResult<Lwm2mNode> DecodeNode(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return TlvDecoder.Decode(payload, path, model);
    }

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeRecords(IReadOnlyList<Lwm2mRecord> records, IBufferWriter<byte> output) =>
        new(Lwm2mCodecErrorKind.Unsupported, "TLV carries no records (composite operations and time series need SenML or LwM2M CBOR).");

    /// <inheritdoc />
    public Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> DecodeRecords(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model) =>
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>>.Failure(Lwm2mCodecErrorKind.Unsupported, "TLV carries no records (composite operations and time series need SenML or LwM2M CBOR).");
}
