using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.SenmlCbor;

/// <summary>
/// application/senml+cbor (112): SenML (RFC 8428 §6) as LwM2M TS 1.1/1.2 Core §7.4.5 uses it. A payload is
/// an array of records, each a map with the integer labels bn (-2), bt (-3), n (0), v (2), vs (3), vb (4),
/// t (6), vd (8) and LwM2M's text label <c>"vlo"</c> for object links.
/// </summary>
/// <remarks>
/// <para>Decoding: a record's name is the latest base name followed by its own name and must parse as a path;
/// its time is the latest base time plus its own time, in seconds since the Unix epoch (times below 2^28,
/// which RFC 8428 calls relative to "now", are returned as they are: the codec has no clock). A record
/// with neither bt nor t in force has no timestamp. A record without a value becomes a record with a null
/// value (read-composite and observe-composite requests). The resource's type from the model decides how
/// v is read: Integer (a CBOR integer), Unsigned Integer, Float (integer or float), Time (seconds); vs
/// carries String and Corelnk, vd Opaque, vb Boolean, vlo Objlnk. For a resource the model does not
/// know, the value keeps its natural type: v as Integer (Unsigned above 2^63-1) or Float, vs as String.
/// Labels bver, u, bu, ut are ignored, as are unknown labels; labels ending in "_" (must-understand), base
/// value, base sum and sum are refused as unsupported. A label twice in one record is malformed, as is
/// the same path twice at the same time.</para>
/// <para>Encoding: the first record carries bn, the longest run of path ids all records share (written
/// "/3/0/"), and each record n, the rest of its path ("1", "6/0"); when every record names the same path
/// bn is that path and no n is written. The first timestamped record carries bt (absolute seconds);
/// later records carry t relative to it, omitted when zero. Timestamped and untimestamped records cannot
/// be mixed once bt is written. Each record's labels are written in the order bn, bt, n, t, value.</para>
/// </remarks>
public sealed partial class SenmlCborCodec : ILwm2mContentCodec
{
    private const int LabelBaseName = -2;
    private const int LabelBaseTime = -3;
    private const int LabelName = 0;
    private const int LabelValue = 2;
    private const int LabelStringValue = 3;
    private const int LabelBooleanValue = 4;
    private const int LabelTime = 6;
    private const int LabelDataValue = 8;

    /// <summary>The text label LwM2M adds for Objlnk values.</summary>
    private static ReadOnlySpan<byte> ObjectLinkLabel => "vlo"u8;

    /// <inheritdoc />
    public ushort ContentFormat => Lwm2mContentFormat.SenmlCbor;

    /// <inheritdoc />
    public string Name => "senml-cbor";

    /// <inheritdoc />
    public string MediaType => "application/senml+cbor";

    /// <inheritdoc />
    public bool IsBinary => true;

    /// <inheritdoc />
    public bool SupportsRecords => true;

    /// <inheritdoc />
    public Lwm2mCodecResult<Lwm2mNode> DecodeNode(ReadOnlySpan<byte> payload, Lwm2mPath path, IObjectDefinitionProvider model) =>
        RecordNodes.DecodeNode<Reader>(payload, path, model, TimeProvider.System);
}
