using System.Buffers;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.Text;

/// <summary>
/// text/plain (0, LwM2M TS Core §7.4.1): one value of a single resource or of a resource instance.
/// Anything else is Unsupported (4.06). Decoding learns the type from the model; an unknown resource
/// is an UnknownResource error. Opaque values travel as base64.
/// </summary>
public sealed class TextCodec : ILwm2mContentCodec
{
    /// <inheritdoc />
    public ushort ContentFormat => Lwm2mContentFormat.Text;

    /// <inheritdoc />
    public string Name => "text";

    /// <inheritdoc />
    public string MediaType => "text/plain";

    /// <inheritdoc />
    public bool IsBinary => false;

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
            case Lwm2mSingleResource s when path.Level == Lwm2mPathLevel.Resource:
                value = s.Value;
                break;
            case Lwm2mResourceInstance ri when path.Level == Lwm2mPathLevel.ResourceInstance:
                value = ri.Value;
                break;
            default:
                return CodecModel.Unsupported("text/plain", path, "more than one value");
        }

        if (value.Type == Lwm2mResourceType.None)
        {
            return CodecModel.Unsupported("text/plain", path, "a value-less (executable) resource");
        }

        // One text form for the whole library: the converter's (NaN and infinities have none).
        return Lwm2mValueConverter.FormatUtf8(value, output);
    }

    /// <inheritdoc />
    public Lwm2mCodecResult<Lwm2mNode> DecodeNode(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (path.Level < Lwm2mPathLevel.Resource)
        {
            return CodecModel.Unsupported("text/plain", path, "more than one value");
        }

        ResourceDefinition? definition = CodecModel.Find(model, path.ObjectId!.Value, path.ResourceId!.Value, 0, out Lwm2mCodecError? unknown);
        if (definition is null)
        {
            return unknown!;
        }

        if (definition.Multiple && path.Level == Lwm2mPathLevel.Resource)
        {
            return CodecModel.Unsupported("text/plain", path, "a multiple resource");
        }

        if (definition.Type == Lwm2mResourceType.None)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.TypeMismatch, "The resource has no value (it is executable).", 0);
        }

        Lwm2mCodecResult<Lwm2mValue> parsed = Lwm2mValueConverter.ParseUtf8(payload, definition.Type);
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
        }

        Lwm2mValue value = parsed.Value;

        return Lwm2mCodecResult<Lwm2mNode>.Success(path.Level == Lwm2mPathLevel.Resource
            ? new Lwm2mSingleResource(path.ResourceId.Value, value)
            : new Lwm2mResourceInstance(path.ResourceInstanceId!.Value, value));
    }

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeRecords(IReadOnlyList<Lwm2mRecord> records, IBufferWriter<byte> output) =>
        new(Lwm2mCodecErrorKind.Unsupported, "text/plain carries one value, not records.");

    /// <inheritdoc />
    public Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> DecodeRecords(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model) =>
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>>.Failure(Lwm2mCodecErrorKind.Unsupported, "text/plain carries one value, not records.");
}
