using Tern.Coap.Messages;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Operations;

/// <summary>How a downlink operation ended.</summary>
public enum Lwm2mResultStatus
{
    /// <summary>The client answered 2.xx (and, for reads, with a payload that decoded).</summary>
    Success,

    /// <summary>The client answered with a 4.xx or 5.xx code; see <see cref="Lwm2mResult.Code"/>.</summary>
    ErrorResponse,

    /// <summary>The client did not answer within the operation's timeout.</summary>
    Timeout,

    /// <summary>No client is registered with that endpoint name.</summary>
    NotRegistered,

    /// <summary>The exchange failed below LwM2M: the client reset it, or the network or endpoint gave up.</summary>
    NetworkError,

    /// <summary>The client answered 2.xx, but the payload could not be decoded (see <see cref="Lwm2mResult.Diagnostic"/>).</summary>
    InvalidResponse,
}

/// <summary>The outcome of a downlink operation that returns no content (Write, Execute, Delete, Write-Attributes...).</summary>
public class Lwm2mResult
{
    /// <summary>Creates a result.</summary>
    public Lwm2mResult(Lwm2mResultStatus status, CoapCode? code = null, string? diagnostic = null)
    {
        Status = status;
        Code = code;
        Diagnostic = diagnostic;
    }

    /// <summary>How the operation ended.</summary>
    public Lwm2mResultStatus Status { get; }

    /// <summary>The CoAP code the client answered with; null when it did not answer.</summary>
    public CoapCode? Code { get; }

    /// <summary>What went wrong, for people: the client's diagnostic payload, a decoding error, or the failure's cause.</summary>
    public string? Diagnostic { get; }

    /// <summary>True when <see cref="Status"/> is <see cref="Lwm2mResultStatus.Success"/>.</summary>
    public bool IsSuccess => Status == Lwm2mResultStatus.Success;

    /// <inheritdoc />
    public override string ToString() => Code is { } code ? $"{Status} {code}" + (Diagnostic is null ? "" : $": {Diagnostic}") : $"{Status}" + (Diagnostic is null ? "" : $": {Diagnostic}");
}

/// <summary>The outcome of a Read: on success the decoded node at the read path and the content format it came in.</summary>
public sealed class ReadResult : Lwm2mResult
{
    /// <summary>Creates a read result.</summary>
    public ReadResult(Lwm2mResultStatus status, CoapCode? code = null, string? diagnostic = null, Lwm2mNode? node = null, ushort? contentFormat = null)
        : base(status, code, diagnostic)
    {
        Node = node;
        ContentFormat = contentFormat;
    }

    /// <summary>The node read (object, instance, resource or resource instance); null unless successful.</summary>
    public Lwm2mNode? Node { get; }

    /// <summary>The content format of the client's answer.</summary>
    public ushort? ContentFormat { get; }
}

/// <summary>How a Write changes the target: replace it (PUT) or update the given resources only (POST).</summary>
public enum Lwm2mWriteMode
{
    /// <summary>Replace: PUT; the instance or resource becomes exactly what is written.</summary>
    Replace,

    /// <summary>Partial update: POST; resources not written keep their values.</summary>
    PartialUpdate,
}

/// <summary>The outcome of a Discover: on success the links (paths with their attributes) the client answered.</summary>
public sealed class DiscoverResult : Lwm2mResult
{
    /// <summary>Creates a discover result.</summary>
    public DiscoverResult(Lwm2mResultStatus status, Tern.Coap.Messages.CoapCode? code = null, string? diagnostic = null, IReadOnlyList<Tern.Lwm2m.Formats.LinkFormat.CoreLink>? links = null)
        : base(status, code, diagnostic)
    {
        Links = links ?? [];
    }

    /// <summary>The links the client answered; empty unless successful.</summary>
    public IReadOnlyList<Tern.Lwm2m.Formats.LinkFormat.CoreLink> Links { get; }
}

/// <summary>The outcome of a Read-Composite: on success the records (absolute paths and values) the client answered.</summary>
public sealed class CompositeReadResult : Lwm2mResult
{
    /// <summary>Creates a composite read result.</summary>
    public CompositeReadResult(Lwm2mResultStatus status, Tern.Coap.Messages.CoapCode? code = null, string? diagnostic = null, IReadOnlyList<Lwm2mRecord>? records = null, ushort? contentFormat = null)
        : base(status, code, diagnostic)
    {
        Records = records ?? [];
        ContentFormat = contentFormat;
    }

    /// <summary>The records read; empty unless successful.</summary>
    public IReadOnlyList<Lwm2mRecord> Records { get; }

    /// <summary>The content format of the client's answer.</summary>
    public ushort? ContentFormat { get; }
}
