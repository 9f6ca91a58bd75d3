using System.Buffers;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.Opaque;

/// <summary>
/// application/octet-stream (42, LwM2M TS Core §7.4.2): the raw bytes of one Opaque single resource or
/// resource instance. Other nodes and other types are Unsupported (4.06 / 4.15 for the engine).
/// </summary>
public sealed class OpaqueCodec : ILwm2mContentCodec
{
    /// <inheritdoc />
    public ushort ContentFormat => Lwm2mContentFormat.Opaque;

    /// <inheritdoc />
    public string Name => "opaque";

    /// <inheritdoc />
    public string MediaType => "application/octet-stream";

    /// <inheritdoc />
    public bool IsBinary => true;

    /// <inheritdoc />
    public bool SupportsRecords => false;

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeNode(Lwm2mPath path, Lwm2mNode node, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(output);
        Lwm2mValue value = node switch
        {
            Lwm2mSingleResource s when path.Level == Lwm2mPathLevel.Resource => s.Value,
            Lwm2mResourceInstance ri when path.Level == Lwm2mPathLevel.ResourceInstance => ri.Value,
            _ => default,
        };

        if (value.Type != Lwm2mResourceType.Opaque)
        {
            return CodecModel.Unsupported("application/octet-stream", path, "anything but one Opaque value");
        }

        output.Write(value.AsOpaque());
        return null;
    }

    /// <inheritdoc />
    public Lwm2mCodecResult<Lwm2mNode> DecodeNode(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (path.Level < Lwm2mPathLevel.Resource)
        {
            return CodecModel.Unsupported("application/octet-stream", path, "more than one value");
        }

        ResourceDefinition? definition = CodecModel.Find(model, path.ObjectId!.Value, path.ResourceId!.Value, 0, out Lwm2mCodecError? unknown);
        if (definition is null)
        {
            return unknown!;
        }

        if (definition.Type != Lwm2mResourceType.Opaque || (definition.Multiple && path.Level == Lwm2mPathLevel.Resource))
        {
            return CodecModel.Unsupported("application/octet-stream", path, $"a {(definition.Multiple ? "multiple " : "")}{definition.Type} resource");
        }

        var value = Lwm2mValue.FromOpaque(payload.ToArray());
        return Lwm2mCodecResult<Lwm2mNode>.Success(path.Level == Lwm2mPathLevel.Resource
            ? new Lwm2mSingleResource(path.ResourceId.Value, value)
            : new Lwm2mResourceInstance(path.ResourceInstanceId!.Value, value));
    }

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeRecords(IReadOnlyList<Lwm2mRecord> records, IBufferWriter<byte> output) =>
        new(Lwm2mCodecErrorKind.Unsupported, "application/octet-stream carries one value, not records.");

    /// <inheritdoc />
    public Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> DecodeRecords(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model) =>
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>>.Failure(Lwm2mCodecErrorKind.Unsupported, "application/octet-stream carries one value, not records.");
}
