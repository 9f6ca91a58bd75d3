using System.Buffers;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.LinkFormat;

/// <summary>
/// application/link-format (40). Link format describes the data model (Register, Discover, Bootstrap-Discover)
/// rather than carrying values, so the node and record operations answer Unsupported; use
/// <see cref="Parse(ReadOnlySpan{byte})"/> and <see cref="CoreLinkFormat.Write"/> instead.
/// </summary>
/// <param name="limits">Bounds on links and parameters; <see cref="CoreLinkLimits.Default"/> when null.</param>
public sealed class LinkFormatCodec(CoreLinkLimits? limits = null) : ILwm2mContentCodec
{
    private readonly CoreLinkLimits _limits = limits ?? CoreLinkLimits.Default;

    /// <inheritdoc />
    public ushort ContentFormat => Lwm2mContentFormat.LinkFormat;

    /// <inheritdoc />
    public string Name => "link";

    /// <inheritdoc />
    public string MediaType => "application/link-format";

    /// <inheritdoc />
    public bool IsBinary => false;

    /// <inheritdoc />
    public bool SupportsRecords => false;

    /// <summary>Parses a link-format payload.</summary>
    public Lwm2mCodecResult<IReadOnlyList<CoreLink>> Parse(ReadOnlySpan<byte> payload) => CoreLinkFormat.Parse(payload, _limits);

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeNode(Lwm2mPath path, Lwm2mNode node, IBufferWriter<byte> output) => NoValues;

    /// <inheritdoc />
    public Lwm2mCodecResult<Lwm2mNode> DecodeNode(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model) => NoValues;

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeRecords(IReadOnlyList<Lwm2mRecord> records, IBufferWriter<byte> output) => NoValues;

    /// <inheritdoc />
    public Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> DecodeRecords(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model) => NoValues;

    private static Lwm2mCodecError NoValues =>
        new(Lwm2mCodecErrorKind.Unsupported, "application/link-format describes objects and attributes; it carries no resource values.");
}
