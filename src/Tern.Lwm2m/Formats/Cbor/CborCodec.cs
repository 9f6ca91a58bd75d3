using System.Buffers;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.Cbor;

/// <summary>
/// application/cbor (60): one CBOR data item holding the value of a single-instance resource or of one
/// resource instance (LwM2M TS 1.1 Core §7.4.4). Values map as in <see cref="CborLwm2mValues"/>; Time is
/// written as tag 1 with integer seconds and read from tag 1 or a bare number. Objects, instances and
/// multiple resources are not carried (<see cref="Lwm2mCodecErrorKind.Unsupported"/>), nor are records.
/// </summary>
public sealed class CborCodec : ILwm2mContentCodec
{
    /// <inheritdoc />
    public ushort ContentFormat => Lwm2mContentFormat.Cbor;

    /// <inheritdoc />
    public string Name => "cbor";

    /// <inheritdoc />
    public string MediaType => "application/cbor";

    /// <inheritdoc />
    public bool IsBinary => true;

    /// <inheritdoc />
    public bool SupportsRecords => false;

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeNode(Lwm2mPath path, Lwm2mNode node, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(output);
        Lwm2mValue value;
        switch (node)
        {
            case Lwm2mSingleResource r: value = r.Value; break;
            case Lwm2mResourceInstance ri: value = ri.Value; break;
            default: return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"application/cbor carries one value; {path} is a {node.GetType().Name}.");
        }

        var writer = new CborWriter(output);
        return CborLwm2mValues.TryWrite(ref writer, value)
            ? null
            : new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"The value of {path} has no type.");
    }

    /// <inheritdoc />
    public Lwm2mCodecResult<Lwm2mNode> DecodeNode(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (path.Level < Lwm2mPathLevel.Resource)
        {
            return Lwm2mCodecResult<Lwm2mNode>.Failure(Lwm2mCodecErrorKind.Unsupported, $"application/cbor carries one value; {path} is not a resource path.");
        }

        ResourceDefinition? definition = model.GetObject(path.ObjectId!.Value)?.GetResource(path.ResourceId!.Value);
        if (definition is { Multiple: true } && path.Level == Lwm2mPathLevel.Resource)
        {
            return Lwm2mCodecResult<Lwm2mNode>.Failure(Lwm2mCodecErrorKind.Unsupported, $"Resource {path} is multiple; application/cbor carries one value.");
        }

        var reader = new CborReader(payload);
        if (CborLwm2mValues.TryRead(ref reader, definition?.Type, out Lwm2mValue value) is { } error)
        {
            return error;
        }

        if (reader.BytesRemaining > 0)
        {
            return Lwm2mCodecResult<Lwm2mNode>.Failure(Lwm2mCodecErrorKind.Malformed, $"{reader.BytesRemaining} bytes follow the value.", reader.Offset);
        }

        return Lwm2mCodecResult<Lwm2mNode>.Success(path.Level == Lwm2mPathLevel.ResourceInstance
            ? new Lwm2mResourceInstance(path.ResourceInstanceId!.Value, value)
            : new Lwm2mSingleResource(path.ResourceId!.Value, value));
    }

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeRecords(IReadOnlyList<Lwm2mRecord> records, IBufferWriter<byte> output) =>
        new(Lwm2mCodecErrorKind.Unsupported, "application/cbor carries one value, not records.");

    /// <inheritdoc />
    public Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> DecodeRecords(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model) =>
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>>.Failure(Lwm2mCodecErrorKind.Unsupported, "application/cbor carries one value, not records.");
}
