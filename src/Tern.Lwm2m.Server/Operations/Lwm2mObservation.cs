using Tern.Coap.Endpoint;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Operations;

/// <summary>
/// A running observation of one path on one client. Its notifications arrive through
/// <see cref="Lwm2mServer.NotificationReceived"/>. It ends when cancelled here, when the client cancels it (RST or an
/// error notification), or when the registration ends (de-registration, expiry, re-registration).
/// </summary>
public sealed class Lwm2mObservation
{
    private readonly CoapObservation _coap;

    internal Lwm2mObservation(CoapObservation coap, string endpoint, string registrationId, Lwm2mPath path, ushort contentFormat)
    {
        _coap = coap;
        Endpoint = endpoint;
        RegistrationId = registrationId;
        Path = path;
        Paths = [path];
        ContentFormat = contentFormat;
    }

    /// <summary>An Observe-Composite of <paramref name="paths"/>: <see cref="Path"/> is the root, <see cref="IsComposite"/> is true.</summary>
    internal Lwm2mObservation(CoapObservation coap, string endpoint, string registrationId, IReadOnlyList<Lwm2mPath> paths, ushort contentFormat)
    {
        _coap = coap;
        Endpoint = endpoint;
        RegistrationId = registrationId;
        Path = Lwm2mPath.Root;
        Paths = paths;
        ContentFormat = contentFormat;
        IsComposite = true;
    }

    /// <summary>The observed client's endpoint name.</summary>
    public string Endpoint { get; }

    /// <summary>The registration the observation belongs to; a new registration starts without observations.</summary>
    public string RegistrationId { get; }

    /// <summary>The observed path (the root for an Observe-Composite; see <see cref="Paths"/>).</summary>
    public Lwm2mPath Path { get; }

    /// <summary>Every observed path: the one <see cref="Path"/> of a plain Observe, or the paths of an Observe-Composite.</summary>
    public IReadOnlyList<Lwm2mPath> Paths { get; }

    /// <summary>True for an Observe-Composite (FETCH with a path list); its notifications carry records, not a node.</summary>
    public bool IsComposite { get; }

    /// <summary>The content format the observation was registered with (notifications normally come in it).</summary>
    public ushort ContentFormat { get; }

    /// <summary>An id unique within the server, for logs and for APIs that name observations.</summary>
    public long Id => _coap.Id;

    /// <summary>True while notifications may still arrive.</summary>
    public bool IsActive => _coap.IsActive;

    /// <summary>Completes when the observation ends, for whatever reason.</summary>
    public Task Completion => _coap.Completion.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>
    /// Ends the observation: actively with the registering request carrying Observe=1 (<paramref name="active"/>: a GET,
    /// or for an Observe-Composite the FETCH with its path list, i.e. Cancel-Observe-Composite), or passively by
    /// forgetting it so the client's next notification is answered with RST.
    /// </summary>
    public Task CancelAsync(bool active = true, CancellationToken cancellationToken = default) => _coap.CancelAsync(active, cancellationToken);
}

/// <summary>A notification from an observed client, decoded.</summary>
public sealed class Lwm2mNotificationEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public Lwm2mNotificationEventArgs(Lwm2mObservation observation, Lwm2mNode? node, ushort? contentFormat, string? error, DateTimeOffset receivedAt)
    {
        Observation = observation;
        Node = node;
        ContentFormat = contentFormat;
        Error = error;
        ReceivedAt = receivedAt;
    }

    /// <summary>The observation the notification belongs to (endpoint and path are on it).</summary>
    public Lwm2mObservation Observation { get; }

    /// <summary>The decoded node of a plain observation; null when the payload did not decode (see <see cref="Error"/>) or for an Observe-Composite.</summary>
    public Lwm2mNode? Node { get; }

    /// <summary>The decoded records of an Observe-Composite notification; null when they did not decode (see <see cref="Error"/>) or for a plain observation.</summary>
    public IReadOnlyList<Lwm2mRecord>? Records { get; init; }

    /// <summary>The content format the notification came in.</summary>
    public ushort? ContentFormat { get; }

    /// <summary>Why the notification could not be decoded; null when <see cref="Node"/> or <see cref="Records"/> is set.</summary>
    public string? Error { get; }

    /// <summary>When the server received it, on the server's clock.</summary>
    public DateTimeOffset ReceivedAt { get; }
}

/// <summary>The outcome of an Observe: the first value (as a read) and, when the client accepted, the observation.</summary>
public sealed class ObserveResult : Lwm2mResult
{
    /// <summary>Creates an observe result.</summary>
    public ObserveResult(Lwm2mResultStatus status, Tern.Coap.Messages.CoapCode? code = null, string? diagnostic = null, Lwm2mNode? node = null, ushort? contentFormat = null, Lwm2mObservation? observation = null)
        : base(status, code, diagnostic)
    {
        Node = node;
        ContentFormat = contentFormat;
        Observation = observation;
    }

    /// <summary>The value in the client's first answer; null unless successful.</summary>
    public Lwm2mNode? Node { get; }

    /// <summary>The content format of the first answer.</summary>
    public ushort? ContentFormat { get; }

    /// <summary>The running observation; null when the client answered without accepting it (no Observe option) or failed.</summary>
    public Lwm2mObservation? Observation { get; }
}
