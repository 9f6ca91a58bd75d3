using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Firmware;

/// <summary>Which object 5 resources changed, for Observe notifications.</summary>
/// <param name="resourceIds">The resource IDs.</param>
public sealed class FirmwareResourcesChangedEventArgs(IReadOnlyList<ushort> resourceIds) : EventArgs
{
    /// <summary>The resource IDs (3 State, 5 Update Result, 12 Last State Change Time, …).</summary>
    public IReadOnlyList<ushort> ResourceIds { get; } = resourceIds;
}

/// <summary>
/// Object 5 instance 0, Firmware Update: the seam the client's object store and request dispatcher call.
/// <list type="bullet">
/// <item>Write /5/0/0 (Package, block-wise push): <see cref="WritePackageBlock(long, ReadOnlySpan{byte}, bool, long?)"/> per Block1 block (offset = NUM × size).</item>
/// <item>Write /5/0/1 (Package URI): <see cref="WritePackageUri"/>; the pull runs in the background.</item>
/// <item>Execute /5/0/2 (Update) and /5/0/10 (Cancel): <see cref="ExecuteUpdate"/>, <see cref="ExecuteCancel"/>.</item>
/// <item>Reads: <see cref="TryRead"/> by resource ID, or the typed properties (<see cref="State"/>, <see cref="Result"/>, …).</item>
/// <item>Observe: <see cref="ResourcesChanged"/> names what changed.</item>
/// </list>
/// Every change of State or Update Result is saved to the state directory before the call returns, so after a
/// restart <see cref="Open"/> reports where the update stood (and the application, via
/// <see cref="ReportUpdateOutcome"/>, how an installation across the restart ended). Thread-safe.
/// </summary>
public sealed partial class FirmwareUpdate : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly FirmwareUpdateOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FirmwareStateFile _file;
    private FirmwarePackageSink _sink;
    private readonly FirmwarePuller _puller;
    private readonly FirmwareUpdateMachine _machine;
    private readonly List<Lwm2mClientEvent> _outbox = [];
    private readonly HashSet<ushort> _changed = [];
    private readonly CancellationTokenSource _disposing = new();
    private readonly List<IDisposable> _ownedDownloaders = [];
    private CancellationTokenSource? _download;
    private Task _background = Task.CompletedTask;
    private long _lastProgress;
    private bool _disposed;

    private FirmwareUpdate(FirmwareUpdateOptions options, TimeProvider time, ILoggerFactory? loggers, FirmwareStateLoadResult loaded)
    {
        _options = options;
        _time = time;
        _logger = loggers?.CreateLogger<FirmwareUpdate>() ?? NullLogger<FirmwareUpdate>.Instance;
        _file = new FirmwareStateFile(options.StateDirectory);
        _sink = new FirmwarePackageSink(options.StateDirectory, options.MaxPackageBytes);
        IReadOnlyList<IFirmwareDownloader> downloaders = options.Downloaders ?? DefaultDownloaders(time);
        _puller = new FirmwarePuller(downloaders, options.Pull, time);
        _machine = new FirmwareUpdateMachine(loaded.Snapshot);
        if (loaded.Error is { } error)
        {
            Raise(new FirmwareStateCorrupted(time.GetUtcNow(), error));
        }
    }

    /// <summary>Raised (outside any lock) when readable resources changed, so the client can notify observers.</summary>
    public event EventHandler<FirmwareResourcesChangedEventArgs>? ResourcesChanged;

    /// <summary>/5/0/3.</summary>
    public FirmwareUpdateState State { get { lock (_gate) { return _machine.State; } } }

    /// <summary>/5/0/5.</summary>
    public FirmwareUpdateResult Result { get { lock (_gate) { return _machine.Result; } } }

    /// <summary>/5/0/1 (empty when none or pushed).</summary>
    public string PackageUri { get { lock (_gate) { return _machine.Snapshot.PackageUri; } } }

    /// <summary>/5/0/6.</summary>
    public string PackageName { get { lock (_gate) { return _machine.Snapshot.PackageName; } } }

    /// <summary>/5/0/7.</summary>
    public string PackageVersion { get { lock (_gate) { return _machine.Snapshot.PackageVersion; } } }

    /// <summary>/5/0/8: the protocols a pull can use.</summary>
    public IReadOnlyList<FirmwareUpdateProtocol> ProtocolSupport => [.. _puller.Protocols];

    /// <summary>/5/0/9.</summary>
    public FirmwareDeliveryMethod DeliveryMethod => _options.DeliveryMethod;

    /// <summary>/5/0/11.</summary>
    public FirmwareSeverity Severity { get { lock (_gate) { return _machine.Snapshot.Severity; } } }

    /// <summary>/5/0/12 (null before the first change).</summary>
    public DateTimeOffset? LastStateChangeTime { get { lock (_gate) { return _machine.Snapshot.LastStateChange; } } }

    /// <summary>/5/0/13.</summary>
    public TimeSpan MaximumDeferPeriod { get { lock (_gate) { return _machine.Snapshot.MaximumDeferPeriod; } } }

    /// <summary>The largest package accepted (<see cref="FirmwareUpdateOptions.MaxPackageBytes"/>).</summary>
    public long MaxPackageBytes => _options.MaxPackageBytes;

    /// <summary>Bytes of the package stored so far.</summary>
    public long StoredBytes { get { lock (_gate) { return _sink.Length; } } }

    /// <summary>The stored package file once complete (for the installer or tests), else null.</summary>
    public string? PackagePath { get { lock (_gate) { return _sink.IsComplete ? _sink.PackagePath : null; } } }

    /// <summary>Every state change since <see cref="Open"/>, e.g. "Idle -> Downloading".</summary>
    public IReadOnlyList<string> Transitions { get { lock (_gate) { return [.. _machine.Transitions]; } } }

    /// <summary>True when no pull, verification or installation is running.</summary>
    public bool IsIdle => _background.IsCompleted;

    /// <summary>
    /// Opens object 5 on the state directory. A saved state is resumed: an interrupted pull continues from the bytes
    /// stored, an interrupted push ends with result 4, a state file that fails its check is reported
    /// (<see cref="FirmwareStateCorrupted"/>) and object 5 starts from Idle.
    /// </summary>
    /// <param name="options">Settings.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggers">Logging (transitions, failures); none when null.</param>
    public static FirmwareUpdate Open(FirmwareUpdateOptions options, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        FirmwareStateLoadResult loaded = new FirmwareStateFile(options.StateDirectory).Load();
        var update = new FirmwareUpdate(options, time, loggers, loaded);
        update.Resume();
        update.Deliver();
        return update;
    }

    /// <summary>Waits until no pull, verification or installation is running.</summary>
    public async Task WhenIdleAsync()
    {
        Task current;
        do
        {
            current = _background;
            await current.ConfigureAwait(false);
        }
        while (!ReferenceEquals(current, _background));
    }

    /// <summary>Stops a running pull (the partial package stays for a resume) and waits for background work.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        try
        {
            await WhenIdleAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _deferTimer?.Dispose();
        lock (_gate)
        {
            _sink.Dispose();
            _download?.Dispose();
            _download = null;
        }

        foreach (IDisposable owned in _ownedDownloaders)
        {
            owned.Dispose();
        }

        _disposing.Dispose();
    }

    private IReadOnlyList<IFirmwareDownloader> DefaultDownloaders(TimeProvider time)
    {
        var http = new HttpFirmwareDownloader(time: time);
        _ownedDownloaders.Add(http);
        return [new CoapFirmwareDownloader(), http];
    }

    private void Resume()
    {
        (int Generation, FirmwarePackageSink Sink, string Uri)? pull = null;
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            FirmwareUpdateSnapshot before = _machine.Snapshot;
            switch (_machine.State)
            {
                case FirmwareUpdateState.Downloading when _machine.Snapshot.PackageUri.Length > 0:
                    pull = (++_generation, _sink, _machine.Snapshot.PackageUri);
                    break;
                case FirmwareUpdateState.Downloading:
                    // A push cannot resume: the server's block-wise transfer died with the old process.
                    FailDownloadLocked(FirmwareUpdateResult.ConnectionLost, FirmwareErrorKind.ConnectionLost, FirmwareErrorValue.None, "the push was interrupted by a restart", now);
                    break;
                case FirmwareUpdateState.Downloaded when !_sink.IsComplete:
                    _machine.Reset(now);
                    Raise(new FirmwareError(now, FirmwareErrorKind.Package, FirmwareErrorValue.InvalidPackage, FirmwareUpdateResult.Initial, "the downloaded package is missing from the state directory"));
                    break;
                case FirmwareUpdateState.Downloaded when _machine.Snapshot.DeferDeadline is not null:
                    ArmDeferTimer();
                    break;
            }

            Commit(before);
        }

        if (pull is { } p)
        {
            StartPull(p.Uri, p.Generation, p.Sink);
        }
    }

    /// <summary>Under the lock: saves the snapshot when it changed and notes which resources did.</summary>
    private void Commit(FirmwareUpdateSnapshot? before = null)
    {
        FirmwareUpdateSnapshot after = _machine.Snapshot;
        if (before is not null && before == after)
        {
            return;
        }

        _file.Save(after);
        if (before is not null && before.State != after.State)
        {
            Log.StateChanged(_logger, before.State, after.State, (int)after.Result);
        }

        if (before is null || before.State != after.State)
        {
            _changed.Add(3);
            _changed.Add(12);
        }

        if (before is null || before.Result != after.Result)
        {
            _changed.Add(5);
        }

        if (before is null || before.PackageUri != after.PackageUri)
        {
            _changed.Add(1);
        }
    }

    private void Raise(Lwm2mClientEvent clientEvent)
    {
        LogEvent(clientEvent);
        _outbox.Add(clientEvent);
    }

    /// <summary>Outside the lock: hands queued events and change notices to the application.</summary>
    private void Deliver()
    {
        Lwm2mClientEvent[] events;
        ushort[] changed;
        lock (_gate)
        {
            events = [.. _outbox];
            _outbox.Clear();
            changed = [.. _changed.Order()];
            _changed.Clear();
        }

        foreach (Lwm2mClientEvent e in events)
        {
            _options.Events?.Invoke(e);
        }

        if (changed.Length > 0)
        {
            ResourcesChanged?.Invoke(this, new FirmwareResourcesChangedEventArgs(changed));
        }
    }

    /// <summary>Under the lock: deletes the stored package (a pull still writing to it gets refused) and opens a fresh sink.</summary>
    private void DeleteImage(DateTimeOffset now, bool announce = true)
    {
        bool had = _sink.Length > 0 || _sink.IsComplete;
        _sink.Delete();
        _sink = new FirmwarePackageSink(_options.StateDirectory, _options.MaxPackageBytes);
        if (announce && had)
        {
            Raise(new FirmwareImageDeleted(now));
        }
    }

    private void Progress(long bytes, long? total, bool force = false)
    {
        if (force || bytes - _lastProgress >= _options.ProgressStep || (total is { } t && bytes >= t))
        {
            _lastProgress = bytes;
            Raise(new FirmwareDownloadProgress(_time.GetUtcNow(), bytes, total));
        }
    }

    /// <summary>Under the lock: tracks started background work so <see cref="WhenIdleAsync"/> waits for it too.</summary>
    private void Track(Task work)
    {
        Task previous = _background;
        _background = previous.IsCompleted ? work : Task.WhenAll(previous, work);
    }
}
