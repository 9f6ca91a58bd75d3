using System.Buffers;
using System.Text;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>
/// Maps the CoAP requests a server sends to a client onto operations on a <see cref="Lwm2mObjectStore"/>, and
/// answers with the codes the LwM2M TS gives. Device Management and Service Enablement (Read, Write, Execute,
/// Create, Delete, Discover, Write-Attributes, Read-Composite, Write-Composite) for an LwM2M server, and the
/// Bootstrap interface (Bootstrap-Read, -Write, -Delete, -Discover, -Finish) for the bootstrap server.
/// Bad input is answered with 4.xx and never throws; an application handler that throws gives 5.00.
/// Observe requests are served as Reads: the reporting layer takes them over later. With more than one LwM2M server
/// configured, Access Control (object 2) decides what each server may do (see <see cref="AccessControl"/>).
/// </summary>
public sealed partial class Lwm2mRequestDispatcher
{
    private readonly Lwm2mObjectStore _store;
    private readonly Lwm2mContentFormatRegistry _formats;

    /// <summary>Creates a dispatcher over <paramref name="store"/>.</summary>
    /// <param name="store">The data model.</param>
    /// <param name="formats">The content codecs; <see cref="Lwm2mContentFormatRegistry.Default"/> when null.</param>
    public Lwm2mRequestDispatcher(Lwm2mObjectStore store, Lwm2mContentFormatRegistry? formats = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _formats = formats ?? Lwm2mContentFormatRegistry.Default;
    }

    /// <summary>The data model served.</summary>
    public Lwm2mObjectStore Store => _store;

    /// <summary>The LwM2M version the client registered with; it picks the default format (TLV for 1.0, SenML CBOR after).</summary>
    public Lwm2mVersion Version { get; set; } = Lwm2mVersion.Lwm2m11;

    /// <summary>The format advertised at registration (<c>&lt;/&gt;;ct=</c>), used for answers when the request has no Accept.</summary>
    public ushort? PreferredContentFormat { get; set; }

    /// <summary>
    /// Seam for the engine's bootstrap state: called on Bootstrap-Finish (POST /bs from the bootstrap server), whose
    /// answer becomes the response code (Ok is 2.04). The engine checks the configuration there (e.g. with
    /// <see cref="Lwm2mObjectStore.ReadConfiguration"/>) and leaves the Bootstrap state. Without it, 2.04 is answered.
    /// </summary>
    public Func<Lwm2mStatus>? BootstrapFinished { get; set; }

    /// <summary>
    /// Where Discover reads the attributes it shows (by short server id and path); the store's own attribute table
    /// when null. The client points it at its reporter so the attributes shown are the ones notifications obey.
    /// </summary>
    public Func<int, Lwm2mPath, Lwm2mAttributes?>? AttributeSource { get; set; }

    /// <summary>
    /// Handles one request from a server. <paramref name="shortServerId"/> names the LwM2M server (for attributes);
    /// <paramref name="isBootstrapServer"/> selects the Bootstrap interface. Never throws on bad input.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="shortServerId">The requesting server's short server id (0 when unknown).</param>
    /// <param name="isBootstrapServer">True when the bootstrap server sent it.</param>
    public CoapResponse Handle(CoapMessage request, int shortServerId = 0, bool isBootstrapServer = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            if (IsBootstrapFinish(request))
            {
                return isBootstrapServer ? Answer(BootstrapFinished?.Invoke() ?? Lwm2mStatus.Ok, CoapCode.Changed) : Error(CoapCode.NotFound, "/bs belongs to the bootstrap interface.");
            }

            if (!TryGetPath(request, out Lwm2mPath path))
            {
                return Error(CoapCode.BadRequest, $"'{request.UriPath}' is not an LwM2M path.");
            }

            return isBootstrapServer ? HandleBootstrap(request, path) : Authorize(request, path, shortServerId) ?? HandleServer(request, path, shortServerId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An application handler (or a bug) threw: the server still gets an answer and the loop goes on.
            return Error(CoapCode.InternalServerError, ex.Message);
        }
    }

    private CoapResponse HandleServer(CoapMessage request, Lwm2mPath path, int ssid)
    {
        CoapCode method = request.Code;
        if (method == CoapCode.Get)
        {
            return request.GetUIntOption(CoapOptionNumber.Accept) == Lwm2mContentFormat.LinkFormat ? Discover(request, path, ssid) : Read(request, path, ssid);
        }

        if (method == CoapCode.Put)
        {
            return request.ContentFormat is not null ? Write(request, path, StoreWriteMode.ReplaceInstance)
                : request.HasOption(CoapOptionNumber.UriQuery) ? WriteAttributes(request, path, ssid)
                : Error(CoapCode.BadRequest, "A PUT needs a Content-Format (Write) or query attributes (Write-Attributes).");
        }

        if (method == CoapCode.Post)
        {
            return path.Level switch
            {
                Lwm2mPathLevel.Object => Create(request, path, ssid),
                Lwm2mPathLevel.Resource when IsExecutable(path) || request.ContentFormat is null => Execute(request, path),
                Lwm2mPathLevel.ObjectInstance or Lwm2mPathLevel.Resource or Lwm2mPathLevel.ResourceInstance => Write(request, path, StoreWriteMode.Merge),
                _ => Error(CoapCode.MethodNotAllowed, "POST on the root is only Bootstrap-Finish (/bs) or Send."),
            };
        }

        if (method == CoapCode.Delete)
        {
            return Delete(path);
        }

        if (method == CoapCode.Fetch)
        {
            return ReadComposite(request, path, ssid);
        }

        if (method == CoapCode.IPatch)
        {
            return WriteComposite(request, path, ssid);
        }

        return Error(CoapCode.MethodNotAllowed, $"{method} is not an LwM2M operation.");
    }

    private static bool IsBootstrapFinish(CoapMessage request) =>
        request.Code == CoapCode.Post && request.GetOptions(CoapOptionNumber.UriPath).Count() == 1
        && request.GetOption(CoapOptionNumber.UriPath)!.Value.Value.Span.SequenceEqual("bs"u8);

    private static bool TryGetPath(CoapMessage request, out Lwm2mPath path)
    {
        var text = new StringBuilder();
        foreach (CoapOption segment in request.GetOptions(CoapOptionNumber.UriPath))
        {
            if (segment.Value.IsEmpty)
            {
                continue;
            }

            if (text.Length > 40)
            {
                path = default;
                return false;
            }

            text.Append('/').Append(segment.GetString());
        }

        return Lwm2mPath.TryParse(text.ToString(), out path);
    }

    private bool IsExecutable(Lwm2mPath path) =>
        _store.GetDefinition(path.ObjectId!.Value)?.GetResource(path.ResourceId!.Value) is { } rd && rd.Operations.HasFlag(Lwm2mOperations.Execute);

    /// <summary>The definition of the object a path names, or the response that says why it cannot be used.</summary>
    private ObjectDefinition? DeclaredObject(Lwm2mPath path, out CoapResponse? refusal)
    {
        ObjectDefinition? definition = _store.GetDefinition(path.ObjectId!.Value);
        refusal = definition is null ? Error(CoapCode.NotFound, $"Object {path.ObjectId} is not present.") : null;
        return definition;
    }

    /// <summary>Refuses an LwM2M server any access to the Security (0) and OSCORE (21) objects (TS: only the bootstrap server may touch them).</summary>
    private static CoapResponse? SecurityGuard(Lwm2mPath path) => ReservedGuard(path);

    private static CoapResponse Answer(Lwm2mStatus status, CoapCode success) => status switch
    {
        Lwm2mStatus.Ok => new CoapResponse(success),
        _ => Error(ToCode(status), $"Refused by the application ({status})."),
    };

    private static CoapCode ToCode(Lwm2mStatus status) => status switch
    {
        Lwm2mStatus.BadRequest => CoapCode.BadRequest,
        Lwm2mStatus.Unauthorized => CoapCode.Unauthorized,
        Lwm2mStatus.NotFound => CoapCode.NotFound,
        Lwm2mStatus.MethodNotAllowed => CoapCode.MethodNotAllowed,
        Lwm2mStatus.ServiceUnavailable => CoapCode.ServiceUnavailable,
        _ => CoapCode.InternalServerError,
    };

    /// <summary>An error response with a short diagnostic payload (RFC 7252 §5.5.2).</summary>
    private static CoapResponse Error(CoapCode code, string diagnostic)
    {
        string text = diagnostic.Length > 200 ? diagnostic[..200] : diagnostic;
        return new CoapResponse(code, Encoding.UTF8.GetBytes(text));
    }

    private static CoapResponse Content(ReadOnlyMemory<byte> payload, ushort format, CoapCode? code = null) =>
        new(code ?? CoapCode.Content, payload) { ContentFormat = format };

    /// <summary>Encodes a node: in the Accepted format (4.06 when it cannot), else the preferred format, text for one value, then the version default.</summary>
    private CoapResponse EncodeNode(CoapMessage request, Lwm2mPath path, Lwm2mNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (request.GetUIntOption(CoapOptionNumber.Accept) is { } accept)
        {
            if (accept > ushort.MaxValue || !_formats.TryGet((ushort)accept, out ILwm2mContentCodec? asked))
            {
                return Error(CoapCode.NotAcceptable, $"Content format {accept} is not supported.");
            }

            return asked.EncodeNode(path, node, buffer) is { } error
                ? Error(CoapCode.NotAcceptable, error.Message)
                : Content(buffer.WrittenMemory, asked.ContentFormat);
        }

        foreach (ushort candidate in Candidates(path, node))
        {
            buffer.Clear();
            if (_formats.TryGet(candidate, out ILwm2mContentCodec? codec) && codec.EncodeNode(path, node, buffer) is null)
            {
                return Content(buffer.WrittenMemory, candidate);
            }
        }

        return Error(CoapCode.InternalServerError, $"No content format can carry {path}.");
    }

    private IEnumerable<ushort> Candidates(Lwm2mPath path, Lwm2mNode node)
    {
        if (PreferredContentFormat is { } preferred)
        {
            yield return preferred;
        }

        if (node is Lwm2mSingleResource or Lwm2mResourceInstance)
        {
            yield return Lwm2mContentFormat.Text;
        }

        yield return Version == Lwm2mVersion.Lwm2m10 ? Lwm2mContentFormat.Tlv : Lwm2mContentFormat.SenmlCbor;
        yield return Lwm2mContentFormat.Tlv;
    }

    /// <summary>Decodes a write payload at <paramref name="path"/>; 4.00 without a format, 4.15 for one the client cannot read.</summary>
    private Lwm2mNode? DecodeNode(CoapMessage request, Lwm2mPath path, out CoapResponse? refusal)
    {
        refusal = null;
        if (request.ContentFormat is not { } format)
        {
            refusal = Error(CoapCode.BadRequest, "The request has no Content-Format.");
            return null;
        }

        if (!_formats.TryGet(format, out ILwm2mContentCodec? codec) || format == Lwm2mContentFormat.LinkFormat)
        {
            refusal = Error(CoapCode.UnsupportedContentFormat, $"Content format {format} is not supported.");
            return null;
        }

        Lwm2mCodecResult<Lwm2mNode> decoded = codec.DecodeNode(request.Payload.Span, path, _store.Model);
        if (!decoded.IsSuccess)
        {
            refusal = Error(decoded.Error!.Kind switch
            {
                Lwm2mCodecErrorKind.Unsupported => CoapCode.UnsupportedContentFormat,
                Lwm2mCodecErrorKind.UnknownResource => CoapCode.NotFound,
                _ => CoapCode.BadRequest,
            }, decoded.Error.Message);
            return null;
        }

        return decoded.Value;
    }
}
