using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Reporting;

/// <summary>
/// One observation a server holds on this client: an Observe on one path or an Observe-Composite on several,
/// identified by its CoAP token. Holds the evaluation state of each path and the observation's Observe sequence.
/// Owned by the <see cref="Lwm2mReporter"/>; read-only to others.
/// </summary>
public sealed class Observation
{
    internal Observation(long id, ushort shortServerId, byte[] token, ObservedPath[] paths, bool composite, ushort? contentFormat, Lwm2mAttributes? observeAttributes)
    {
        Id = id;
        ShortServerId = shortServerId;
        TokenBytes = token;
        PathStates = paths;
        IsComposite = composite;
        ContentFormat = contentFormat;
        ObserveAttributes = observeAttributes;
    }

    /// <summary>A number unique within the reporter.</summary>
    public long Id { get; }

    /// <summary>The server that observes.</summary>
    public ushort ShortServerId { get; }

    /// <summary>The token of the Observe request; notifications carry it.</summary>
    public ReadOnlyMemory<byte> Token => TokenBytes;

    /// <summary>True for Observe-Composite.</summary>
    public bool IsComposite { get; }

    /// <summary>The Accept option of the Observe request, or null (answer in the format advertised at registration).</summary>
    public ushort? ContentFormat { get; }

    /// <summary>Attributes the Observe request carried in its query (LwM2M 1.2), or null.</summary>
    public Lwm2mAttributes? ObserveAttributes { get; }

    /// <summary>The observed paths, in request order.</summary>
    public IEnumerable<Lwm2mPath> Paths => PathStates.Select(p => p.Path);

    /// <summary>The Observe option value of the last message (the initial response is 0); 24 bits, wrapping.</summary>
    public uint Sequence { get; internal set; }

    /// <summary>When the last notification (or the initial response) went out.</summary>
    public DateTimeOffset LastNotifiedAt { get; internal set; }

    /// <summary>When the last confirmable notification (or the initial response) went out.</summary>
    public DateTimeOffset LastConfirmableAt { get; internal set; }

    internal byte[] TokenBytes { get; }

    internal ObservedPath[] PathStates { get; }

    internal long AttributesVersion { get; set; } = -1;

    internal uint NextSequence()
    {
        Sequence = (Sequence + 1) & 0xFFFFFF;
        return Sequence;
    }
}

/// <summary>The evaluation state of one path of an observation.</summary>
internal sealed class ObservedPath(Lwm2mPath path)
{
    public Lwm2mPath Path { get; } = path;

    public NotificationAttributes Attributes { get; set; }

    /// <summary>The node of the last notification.</summary>
    public Lwm2mNode? LastReported { get; set; }

    /// <summary>The numeric or Boolean value of the last notification (st compares with it).</summary>
    public double? LastReportedNumber { get; set; }

    /// <summary>The value seen at the last evaluation (crossings and edges compare with it).</summary>
    public double? LastSampledNumber { get; set; }

    /// <summary>When the path was last evaluated.</summary>
    public DateTimeOffset LastEvaluatedAt { get; set; }

    /// <summary>A change was reported and is not evaluated yet (epmin may hold it back).</summary>
    public bool ChangePending { get; set; }

    /// <summary>When the oldest change not evaluated yet was reported.</summary>
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>An evaluation found a reason to notify; pmin may hold the notification back.</summary>
    public bool Triggered { get; set; }

    /// <summary>The newest time-series entry already reported.</summary>
    public long CacheCursor { get; set; }

    /// <summary>The node read by the latest evaluation, reused when the notification goes out in the same step.</summary>
    public Lwm2mNode? FreshNode { get; set; }
}
