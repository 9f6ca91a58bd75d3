using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server.Firmware;

/// <summary>
/// Firmware updates (object 5) driven by an <see cref="Lwm2mServer"/> (get it from <see cref="Lwm2mServer.Firmware"/>):
/// one update per endpoint at a time, pushed to /5/0/0 or pulled from the server's own <c>/fw/ID</c> resource (or any
/// URI), followed by observing State (/5/0/3) and Update Result (/5/0/5), with Update (/5/0/2) executed once the
/// device reports Downloaded. The update survives the device re-registering after its reboot: the server observes
/// again and reads the outcome and the new firmware version (/3/0/3). Progress and outcome are raised as
/// <see cref="FirmwareUpdateEvent"/> records on <see cref="Changed"/>.
/// </summary>
public sealed partial class Lwm2mFirmwareUpdates
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FirmwareUpdateJob> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FirmwareUpdateStatus> _finished = new(StringComparer.Ordinal);
    private Uri? _coapBaseUri;

    internal Lwm2mFirmwareUpdates(Lwm2mServer server, TimeProvider time, ILogger logger)
    {
        Server = server;
        Time = time;
        Logger = logger;
        server.Registered += OnRegistered;
        server.NotificationReceived += OnNotification;
    }

    /// <summary>An update started, progressed or finished. Raised from the update's own task; handlers must not block.</summary>
    public event EventHandler<FirmwareUpdateEvent>? Changed;

    /// <summary>
    /// The base of the Package URIs the server writes for pulls it serves itself, e.g. <c>coap://203.0.113.5:5683</c>
    /// (the image goes at <c>/fw/ID</c> below it). Null (the default): the server's own CoAP address, which only works
    /// when it is bound to an address the devices can reach (not 0.0.0.0).
    /// </summary>
    public Uri? CoapBaseUri
    {
        get => _coapBaseUri;
        set => _coapBaseUri = value is null || (value.IsAbsoluteUri && value.Scheme is "coap" or "coaps") ? value
            : throw new ArgumentException("The base URI must be an absolute coap:// or coaps:// URI.", nameof(value));
    }

    /// <summary>
    /// True when no update has a step of its own under way (each waits for the network, a notification, a
    /// re-registration or its deadline). Code driving a virtual network adds it as an idle check next to
    /// <see cref="Lwm2mServer.IsIdle"/>.
    /// </summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _running.Values.All(j => j.IsIdle);
            }
        }
    }

    internal Lwm2mServer Server { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    /// <summary>
    /// Starts updating <paramref name="endpoint"/> as <paramref name="request"/> says and returns at once with the
    /// update's first status; refused (typed <see cref="FirmwareUpdateError"/>) when the endpoint is not registered,
    /// has no object 5, is already being updated, or the image is empty.
    /// </summary>
    public async Task<FirmwareUpdateOutcome> StartAsync(string endpoint, FirmwareUpdateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(request);
        FirmwareImage? served = null;
        if (request.ImageId is { } imageId && !Server.FirmwareImages.TryGet(imageId, out served))
        {
            return FirmwareUpdateOutcome.Refused(FirmwareUpdateError.UnknownImage, $"No firmware image has the id '{imageId}'.");
        }

        ReadOnlyMemory<byte> image = served?.Content ?? request.Image;
        if (image.IsEmpty)
        {
            return FirmwareUpdateOutcome.Refused(FirmwareUpdateError.EmptyImage, "The firmware image is empty.");
        }

        Registration? registration = await Server.GetRegistrationAsync(endpoint, cancellationToken).ConfigureAwait(false);
        if (registration is null)
        {
            return FirmwareUpdateOutcome.Refused(FirmwareUpdateError.NotRegistered, $"No client is registered as '{endpoint}'.");
        }

        if (!HasFirmwareObject(registration))
        {
            return FirmwareUpdateOutcome.Refused(FirmwareUpdateError.NoFirmwareObject, $"'{endpoint}' did not register object 5 (Firmware Update).");
        }

        lock (_gate)
        {
            if (_running.TryGetValue(endpoint, out FirmwareUpdateJob? current))
            {
                return FirmwareUpdateOutcome.Refused(FirmwareUpdateError.AlreadyInProgress, $"An update of '{endpoint}' is already running ({current.Status.Id}, {current.Status.Phase}).");
            }

            string? ownedImage = null;
            Uri? uri = null;
            if (request.Delivery == FirmwareDelivery.Pull)
            {
                served ??= Server.FirmwareImages.Add(image);
                ownedImage = served.Id;
                uri = request.PackageUri ?? CoapUriFor(served.Id);
            }

            var job = new FirmwareUpdateJob(this, endpoint, request, image, uri, ownedImage);
            _running[endpoint] = job;
            _finished.Remove(endpoint);
            job.Start();
            return FirmwareUpdateOutcome.Accepted(job.Status);
        }
    }

    /// <summary>The running update of <paramref name="endpoint"/>, or else its last finished one; null when there was none.</summary>
    public FirmwareUpdateStatus? GetStatus(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate)
        {
            return _running.TryGetValue(endpoint, out FirmwareUpdateJob? job) ? job.Status
                : _finished.TryGetValue(endpoint, out FirmwareUpdateStatus? last) ? last : null;
        }
    }

    /// <summary>Completes with the final status when the running update of <paramref name="endpoint"/> ends; with the last one (or null) when none runs.</summary>
    public Task<FirmwareUpdateStatus?> WhenFinishedAsync(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate)
        {
            return _running.TryGetValue(endpoint, out FirmwareUpdateJob? job) ? job.Finished : Task.FromResult(_finished.GetValueOrDefault(endpoint));
        }
    }

    /// <summary>
    /// Cancels the running update of <paramref name="endpoint"/> by executing /5/0/10. Refused with
    /// <see cref="FirmwareUpdateError.CancelNotSupported"/> when the device's Discover of /5/0 lists no resource 10, and
    /// with <see cref="FirmwareUpdateError.Refused"/> when the device refuses the Execute (e.g. while Updating).
    /// </summary>
    public Task<FirmwareUpdateOutcome> CancelAsync(string endpoint, CancellationToken cancellationToken = default) =>
        Running(endpoint) is { } job ? job.CancelAsync(cancellationToken) : Task.FromResult(NoUpdate(endpoint));

    /// <summary>Executes Update (/5/0/2) for an update started with <see cref="FirmwareUpdateRequest.AutoUpdate"/> off, once the device reports Downloaded.</summary>
    public Task<FirmwareUpdateOutcome> ExecuteUpdateAsync(string endpoint, CancellationToken cancellationToken = default) =>
        Running(endpoint) is { } job ? job.ExecuteFromApiAsync(cancellationToken) : Task.FromResult(NoUpdate(endpoint));

    /// <summary>Ends every running update as failed ("the server stopped"); called when the server is disposed.</summary>
    internal void StopAll()
    {
        FirmwareUpdateJob[] jobs;
        lock (_gate)
        {
            jobs = [.. _running.Values];
        }

        foreach (FirmwareUpdateJob job in jobs)
        {
            job.Stop();
        }
    }

    internal void Raise(FirmwareUpdateEvent update)
    {
        Log.Event(Logger, update.Endpoint, update.UpdateId, update);
        if (Changed is not { } handler)
        {
            return;
        }

        try
        {
            handler(this, update);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.HandlerFailed(Logger, update.Endpoint, ex);
        }
    }

    internal void OnFinished(FirmwareUpdateJob job)
    {
        lock (_gate)
        {
            if (_running.TryGetValue(job.Endpoint, out FirmwareUpdateJob? current) && ReferenceEquals(current, job))
            {
                _running.Remove(job.Endpoint);
                _finished[job.Endpoint] = job.Status;
            }
        }
    }

    private FirmwareUpdateJob? Running(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate)
        {
            return _running.GetValueOrDefault(endpoint);
        }
    }

    private static FirmwareUpdateOutcome NoUpdate(string endpoint) =>
        FirmwareUpdateOutcome.Refused(FirmwareUpdateError.NoUpdate, $"No firmware update of '{endpoint}' is running.");

    private static bool HasFirmwareObject(Registration registration) =>
        registration.ObjectLinks.Any(l => Lwm2mPath.TryParse(l.Target, out Lwm2mPath p) && p.ObjectId == 5);

    private Uri CoapUriFor(string imageId)
    {
        if (_coapBaseUri is { } configured)
        {
            return new Uri(configured, $"/{FirmwareImageLibrary.PathSegment}/{imageId}");
        }

        var local = Server.LocalEndPoint.EndPoint;
        string host = local.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{local.Address}]" : local.Address.ToString();
        return new Uri($"coap://{host}:{local.Port}/{FirmwareImageLibrary.PathSegment}/{imageId}");
    }

    private void OnRegistered(object? sender, RegistrationEventArgs e) => Running(e.Registration.Endpoint)?.OnRegistered(e.Registration);

    private void OnNotification(object? sender, Lwm2mNotificationEventArgs e)
    {
        if (Running(e.Observation.Endpoint) is { } job && !e.Observation.IsComposite)
        {
            job.OnValue(e.Observation.Path, e.Node);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Firmware update {UpdateId} of {Endpoint}: {Event}")]
        public static partial void Event(ILogger logger, string endpoint, string updateId, FirmwareUpdateEvent @event);

        [LoggerMessage(EventId = 6202, Level = LogLevel.Error, Message = "A firmware event handler failed for {Endpoint}")]
        public static partial void HandlerFailed(ILogger logger, string endpoint, Exception exception);
    }
}
