using System.Security.Cryptography;
using System.Threading.Channels;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server.Firmware;

/// <summary>
/// One firmware update of one endpoint. Its task delivers the package, then reacts to signals (State and Update Result
/// values, re-registrations, cancellation, the deadline) one at a time, in the order they came.
/// </summary>
internal sealed partial class FirmwareUpdateJob : IDisposable
{
    private static readonly Lwm2mPath StatePath = new(5, 0, 3);
    private static readonly Lwm2mPath ResultPath = new(5, 0, 5);
    private static readonly Lwm2mPath UpdatePath = new(5, 0, 2);
    private static readonly Lwm2mPath CancelPath = new(5, 0, 10);
    private static readonly Lwm2mPath VersionPath = new(3, 0, 3);
    private static readonly Lwm2mPath[] FollowedPaths = [StatePath, ResultPath];

    private readonly Lwm2mFirmwareUpdates _owner;
    private readonly FirmwareUpdateRequest _request;
    private readonly ReadOnlyMemory<byte> _image;
    private readonly string? _ownedImage;
    private readonly Channel<Signal> _signals = Channel.CreateUnbounded<Signal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<FirmwareUpdateStatus?> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private FirmwareUpdateStatus _status;
    private volatile bool _delivering;
    private int _busy;
    private Task? _operation;

    public FirmwareUpdateJob(Lwm2mFirmwareUpdates owner, string endpoint, FirmwareUpdateRequest request, ReadOnlyMemory<byte> image, Uri? packageUri, string? ownedImage)
    {
        _owner = owner;
        _request = request;
        _image = image;
        _ownedImage = ownedImage;
        Endpoint = endpoint;
        _status = new FirmwareUpdateStatus
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            Endpoint = endpoint,
            Delivery = request.Delivery,
            PackageUri = packageUri,
            ImageBytes = image.Length,
            Phase = FirmwareUpdatePhase.Started,
            StartedAt = owner.Time.GetUtcNow(),
        };
    }

    private abstract record Signal;

    private sealed record StateSeen(FirmwareUpdateState State) : Signal;

    private sealed record ResultSeen(FirmwareUpdateResult Result) : Signal;

    private sealed record Reregistered(Registration Registration) : Signal;

    private sealed record Executed : Signal;

    private sealed record CancelDone : Signal;

    private sealed record Deadline : Signal;

    public string Endpoint { get; }

    public FirmwareUpdateStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    public Task<FirmwareUpdateStatus?> Finished => _finished.Task;

    private Lwm2mServer Server => _owner.Server;

    private DateTimeOffset Now => _owner.Time.GetUtcNow();

    private string Id => _status.Id;

    /// <summary>
    /// True when the job waits for the network or for a signal, with no signal queued and no step of its own under
    /// way; code driving a virtual network settles on it (<see cref="Lwm2mFirmwareUpdates.IsIdle"/>).
    /// </summary>
    public bool IsIdle => Volatile.Read(ref _busy) == 0 && Volatile.Read(ref _operation) is not { IsCompleted: true };

    public void Start()
    {
        _busy = 1;
        _ = Task.Run(RunAsync);
    }

    /// <summary>Awaits a server operation without counting as busy: the server's endpoint counts the exchange until its caller resumes.</summary>
    private async Task<T> OverNetwork<T>(Task<T> operation)
    {
        // Between the operation's completion and this method resuming, the completed task keeps the job busy.
        Volatile.Write(ref _operation, operation);
        Interlocked.Decrement(ref _busy);
        try
        {
            return await operation.ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Increment(ref _busy);
            Volatile.Write(ref _operation, null);
        }
    }

    /// <summary>A notification of the endpoint (any observation of /5/0/3 or /5/0/5 counts); ignored before the package goes out.</summary>
    public void OnValue(Lwm2mPath path, Lwm2mNode? node)
    {
        if (_delivering && IntegerOf(node) is { } value)
        {
            Post(path, value);
        }
    }

    private void Post(Lwm2mPath path, long value)
    {
        if (path == StatePath && value is >= 0 and <= 3)
        {
            Send(new StateSeen((FirmwareUpdateState)value));
        }
        else if (path == ResultPath && value is >= 0 and <= 255)
        {
            Send(new ResultSeen((FirmwareUpdateResult)value));
        }
    }

    public void OnRegistered(Registration registration) => Send(new Reregistered(registration));

    /// <summary>Queues a signal, counting it as work until the job has dealt with it.</summary>
    private void Send(Signal signal)
    {
        Interlocked.Increment(ref _busy);
        if (!_signals.Writer.TryWrite(signal))
        {
            Interlocked.Decrement(ref _busy);
        }
    }

    private async Task RunAsync()
    {
        using ITimer deadline = _owner.Time.CreateTimer(static s => ((FirmwareUpdateJob)s!).Send(new Deadline()), this, _request.Timeout, Timeout.InfiniteTimeSpan);
        try
        {
            _owner.Raise(new FotaStarted(Endpoint, Id, Now, _request.Delivery, Status.PackageUri, _image.Length));
            await FollowAsync(applyValues: false).ConfigureAwait(false);
            _delivering = true;
            if (await DeliverAsync().ConfigureAwait(false))
            {
                while (true)
                {
                    // While it waits, the job holds no work token; a posted signal brings one, which becomes the running token.
                    Interlocked.Decrement(ref _busy);
                    Signal signal;
                    try
                    {
                        signal = await _signals.Reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                    }
                    catch
                    {
                        Interlocked.Increment(ref _busy);
                        throw;
                    }

                    if (await HandleAsync(signal).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Finished from outside (cancelled); the status is already final.
        }
        finally
        {
            _delivering = false;
            if (_ownedImage is not null)
            {
                Server.FirmwareImages.Remove(_ownedImage);
            }

            foreach (Lwm2mObservation observation in Server.GetObservations(Endpoint).Where(o => o.Path == StatePath || o.Path == ResultPath))
            {
                _ = observation.CancelAsync(active: false);
            }

            if (!Status.IsFinished)
            {
                Finish(FirmwareUpdatePhase.Failed, null, "the update stopped unexpectedly");
            }

            _owner.OnFinished(this);
            _finished.TrySetResult(Status);
            Dispose();
            Interlocked.Decrement(ref _busy);
        }
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>Observes State and Update Result; with <paramref name="applyValues"/> the first values count as signals (after a re-registration).</summary>
    private async Task FollowAsync(bool applyValues)
    {
        foreach (Lwm2mPath path in FollowedPaths)
        {
            ObserveResult observed = await OverNetwork(Server.ObserveAsync(Endpoint, path, cancellationToken: _stop.Token)).ConfigureAwait(false);
            if (!observed.IsSuccess)
            {
                // Without an observation the outcome is still read after the transfer and after each re-registration.
                observed = new ObserveResult(Lwm2mResultStatus.Success, node: (await OverNetwork(Server.ReadAsync(Endpoint, path, cancellationToken: _stop.Token)).ConfigureAwait(false)).Node);
            }

            if (IntegerOf(observed.Node) is { } value)
            {
                Record(path, value);
                if (applyValues)
                {
                    Post(path, value);
                }
            }
        }
    }

    /// <summary>Pushes the package or writes its URI; false (and the update failed) when the device refused.</summary>
    private async Task<bool> DeliverAsync()
    {
        if (_request.Delivery == FirmwareDelivery.Push)
        {
            Lwm2mResult pushed = await OverNetwork(Server.WritePackageAsync(Endpoint, _image, _request.TransferTimeout, _stop.Token)).ConfigureAwait(false);
            if (!pushed.IsSuccess)
            {
                await FailAfterRefusalAsync($"the Write of the package to /5/0/0 failed: {pushed}").ConfigureAwait(false);
                return false;
            }

            lock (_gate)
            {
                _status = _status with { BytesDelivered = _image.Length };
            }

            _owner.Raise(new FotaProgress(Endpoint, Id, Now, _image.Length, _image.Length));

            // The device may have verified the package before its State notifications get here: read it once.
            await FollowUpAsync().ConfigureAwait(false);
            return true;
        }

        var uri = Status.PackageUri!;
        Lwm2mResult written = await OverNetwork(Server.WriteAsync(Endpoint, new Lwm2mPath(5, 0, 1), new Lwm2mSingleResource(1, Lwm2mValue.FromString(uri.AbsoluteUri)), cancellationToken: _stop.Token)).ConfigureAwait(false);
        if (!written.IsSuccess)
        {
            await FailAfterRefusalAsync($"the Write of the Package URI to /5/0/1 failed: {written}").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>Reads State and Update Result once and treats them as notifications.</summary>
    private async Task FollowUpAsync()
    {
        foreach (Lwm2mPath path in FollowedPaths)
        {
            ReadResult read = await OverNetwork(Server.ReadAsync(Endpoint, path, cancellationToken: _stop.Token)).ConfigureAwait(false);
            if (IntegerOf(read.Node) is { } value)
            {
                Post(path, value);
            }
        }
    }

    /// <summary>A refused Write may still have set a result (a package the device cannot take): report it when it did.</summary>
    private async Task FailAfterRefusalAsync(string reason)
    {
        ReadResult read = await OverNetwork(Server.ReadAsync(Endpoint, ResultPath, cancellationToken: _stop.Token)).ConfigureAwait(false);
        FirmwareUpdateResult? result = IntegerOf(read.Node) is { } value and > 1 and <= 11 and not 10 and not 11 ? (FirmwareUpdateResult)value : null;
        Finish(FirmwareUpdatePhase.Failed, result, reason);
    }

    private static long? IntegerOf(Lwm2mNode? node) => node switch
    {
        Lwm2mSingleResource { Value.Type: Lwm2mResourceType.Integer } single => single.Value.AsInteger(),
        Lwm2mSingleResource { Value.Type: Lwm2mResourceType.UnsignedInteger } single => (long)Math.Min(single.Value.AsUnsignedInteger(), long.MaxValue),
        _ => null,
    };

    private void Record(Lwm2mPath path, long value)
    {
        lock (_gate)
        {
            _status = path == StatePath ? _status with { State = (FirmwareUpdateState)value } : _status with { Result = (FirmwareUpdateResult)value };
        }
    }
}
