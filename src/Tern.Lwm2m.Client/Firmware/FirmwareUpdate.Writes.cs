using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Firmware;

public sealed partial class FirmwareUpdate
{
    private int _generation;
    private long? _pushTotal;

    /// <summary>
    /// Write /5/0/0, one Block1 block at a time (a single non-block-wise write is one block at offset 0 with
    /// <paramref name="more"/> false). The first block (offset 0) in Idle starts a download; each block is stored as it
    /// comes; the last one starts verification, after which the state is Downloaded (or Idle with 5/6). An empty or
    /// single-NUL Package resets to Idle. Returns <see cref="FirmwareOperationStatus.Continue"/> for a stored block that
    /// is not the last, <see cref="FirmwareOperationStatus.Changed"/> for the last.
    /// </summary>
    /// <param name="offset">Where the block starts (Block1 NUM × block size).</param>
    /// <param name="block">The block's bytes.</param>
    /// <param name="more">Block1's M flag: more blocks follow.</param>
    public FirmwareOperationStatus WritePackageBlock(long offset, ReadOnlySpan<byte> block, bool more) =>
        WritePackageBlock(offset, block, more, announcedSize: null);

    /// <summary>
    /// Write /5/0/0, one Block1 block at a time, as <see cref="WritePackageBlock(long, ReadOnlySpan{byte}, bool)"/>, with
    /// the size the server announced (CoAP Size1): a package announced larger than
    /// <see cref="FirmwareUpdateOptions.MaxPackageBytes"/> is refused at once (<see cref="FirmwareOperationStatus.TooLarge"/>,
    /// Update Result 2) instead of after the storage filled up. A block 0 arriving while a push is under way starts the
    /// push over (RFC 7959 §2.5: a new block 0 is a new transfer): the partial image is dropped and the download starts
    /// again, State staying Downloading.
    /// </summary>
    /// <param name="offset">Where the block starts (Block1 NUM × block size).</param>
    /// <param name="block">The block's bytes.</param>
    /// <param name="more">Block1's M flag: more blocks follow.</param>
    /// <param name="announcedSize">The whole package's size as announced (Size1), or null when not given.</param>
    public FirmwareOperationStatus WritePackageBlock(long offset, ReadOnlySpan<byte> block, bool more, long? announcedSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        FirmwareOperationStatus status;
        Task? verify = null;
        lock (_gate)
        {
            ThrowIfDisposed();
            DateTimeOffset now = _time.GetUtcNow();
            FirmwareUpdateSnapshot before = _machine.Snapshot;
            if (offset == 0 && !more && (block.IsEmpty || (block.Length == 1 && block[0] == 0)))
            {
                status = ResetLocked(now);
            }
            else if (_options.DeliveryMethod == FirmwareDeliveryMethod.PullOnly)
            {
                status = FirmwareOperationStatus.MethodNotAllowed;
            }
            else
            {
                status = StoreBlockLocked(offset, block, more, announcedSize, now, out bool complete);
                if (complete)
                {
                    verify = VerifyAsync(_generation, _sink);
                    Track(verify);
                }
            }

            Commit(before);
        }

        Deliver();
        return status;
    }

    /// <summary>
    /// Write /5/0/1. An empty string resets to Idle (deleting any package). A URI in Idle starts a pull in the
    /// background (State Downloading); a URI that is not absolute ends it with result 7, an unsupported scheme with 9.
    /// In any other state: 4.05.
    /// </summary>
    /// <param name="uri">The Package URI, at most 255 characters.</param>
    public FirmwareOperationStatus WritePackageUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        FirmwareOperationStatus status;
        (int Generation, FirmwarePackageSink Sink)? pull = null;
        lock (_gate)
        {
            ThrowIfDisposed();
            DateTimeOffset now = _time.GetUtcNow();
            FirmwareUpdateSnapshot before = _machine.Snapshot;
            if (uri.Length == 0)
            {
                status = ResetLocked(now);
            }
            else if (uri.Length > 255)
            {
                status = FirmwareOperationStatus.BadRequest;
            }
            else if (_options.DeliveryMethod == FirmwareDeliveryMethod.PushOnly)
            {
                status = FirmwareOperationStatus.MethodNotAllowed;
            }
            else
            {
                status = _machine.StartPull(uri, now);
                if (status == FirmwareOperationStatus.Changed)
                {
                    DeleteImage(now, announce: false);
                    _lastProgress = 0;
                    Raise(new FirmwareUpdateStarted(now, uri));
                    pull = (++_generation, _sink);
                }
            }

            Commit(before);
        }

        Deliver();
        if (pull is { } p)
        {
            StartPull(uri, p.Generation, p.Sink);
        }

        return status;
    }

    /// <summary>Write /5/0/11 (0–2, else 4.00).</summary>
    /// <param name="severity">The value written.</param>
    public FirmwareOperationStatus WriteSeverity(long severity) => Mutate(() => _machine.SetSeverity(severity));

    /// <summary>Write /5/0/13, in seconds.</summary>
    /// <param name="seconds">The value written.</param>
    public FirmwareOperationStatus WriteMaximumDeferPeriod(ulong seconds) => Mutate(() => _machine.SetMaximumDeferPeriod(seconds));

    /// <summary>Sets /5/0/6 and /5/0/7, e.g. from the package's header once it is stored.</summary>
    /// <param name="name">PkgName.</param>
    /// <param name="version">PkgVersion.</param>
    public void SetPackageInfo(string name, string version)
    {
        Mutate(() =>
        {
            _machine.SetPackageInfo(name, version);
            _changed.Add(6);
            _changed.Add(7);
            return FirmwareOperationStatus.Changed;
        });
    }

    /// <summary>
    /// Execute /5/0/10: stops a download or drops a downloaded package (State Idle, result 10). 4.05 while Updating or
    /// after a completed update.
    /// </summary>
    public FirmwareOperationStatus ExecuteCancel()
    {
        FirmwareOperationStatus status;
        lock (_gate)
        {
            ThrowIfDisposed();
            DateTimeOffset now = _time.GetUtcNow();
            FirmwareUpdateSnapshot before = _machine.Snapshot;
            status = _machine.Cancel(now);
            if (status == FirmwareOperationStatus.Changed)
            {
                StopDownloadLocked();
                DisarmDeferTimer();
                DeleteImage(now);
            }

            Commit(before);
        }

        Deliver();
        return status;
    }

    private FirmwareOperationStatus Mutate(Func<FirmwareOperationStatus> change)
    {
        FirmwareOperationStatus status;
        lock (_gate)
        {
            ThrowIfDisposed();
            FirmwareUpdateSnapshot before = _machine.Snapshot;
            status = change();
            Commit(before);
        }

        Deliver();
        return status;
    }

    private FirmwareOperationStatus ResetLocked(DateTimeOffset now)
    {
        FirmwareOperationStatus status = _machine.Reset(now);
        if (status == FirmwareOperationStatus.Changed)
        {
            StopDownloadLocked();
            DisarmDeferTimer();
            DeleteImage(now);
        }

        return status;
    }

    private FirmwareOperationStatus StoreBlockLocked(long offset, ReadOnlySpan<byte> block, bool more, long? announcedSize, DateTimeOffset now, out bool complete)
    {
        complete = false;
        bool pushing = _machine.State == FirmwareUpdateState.Downloading && _machine.Snapshot.PackageUri.Length == 0;
        if (offset == 0 && _machine.State == FirmwareUpdateState.Idle)
        {
            _machine.StartPush(now);
            StartPushLocked(now);
        }
        else if (offset == 0 && pushing)
        {
            // Block 0 again: the server started the transfer over (RFC 7959 §2.5; a retransmission of the same
            // message never gets here, the endpoint's deduplication answers it). Its bytes may differ from the first.
            StartPushLocked(now);
        }
        else if (offset > 0 && _machine.State == FirmwareUpdateState.Idle)
        {
            // A later block with no transfer under way: the earlier blocks are missing (RFC 7959 §2.9.2).
            return FirmwareOperationStatus.Incomplete;
        }
        else if (!pushing || _sink.IsComplete)
        {
            // Not in a push: a pull running, another state, or a package already waiting for verification.
            return FirmwareOperationStatus.MethodNotAllowed;
        }

        _pushTotal = announcedSize ?? _pushTotal;
        if (announcedSize > _options.MaxPackageBytes)
        {
            FailDownloadLocked(FirmwareUpdateResult.NotEnoughFlash, FirmwareErrorKind.Package, FirmwareErrorValue.NoSpace, $"the package of {announcedSize} bytes exceeds the {_options.MaxPackageBytes} bytes allowed", now);
            return FirmwareOperationStatus.TooLarge;
        }

        switch (_sink.Write(offset, block, more))
        {
            case FirmwareBlockStatus.Stored:
                Progress(_sink.Length, _pushTotal);
                return FirmwareOperationStatus.Continue;
            case FirmwareBlockStatus.Duplicate:
                return more ? FirmwareOperationStatus.Continue : FirmwareOperationStatus.Changed;
            case FirmwareBlockStatus.Complete:
                Progress(_sink.Length, _sink.Length, force: true);
                complete = true;
                return FirmwareOperationStatus.Changed;
            case FirmwareBlockStatus.Gap:
                return FirmwareOperationStatus.Incomplete;
            case FirmwareBlockStatus.TooLarge:
                FailDownloadLocked(FirmwareUpdateResult.NotEnoughFlash, FirmwareErrorKind.Package, FirmwareErrorValue.NoSpace, $"the package exceeds the {_options.MaxPackageBytes} bytes allowed", now);
                return FirmwareOperationStatus.TooLarge;
            default:
                FailDownloadLocked(FirmwareUpdateResult.NotEnoughFlash, FirmwareErrorKind.Package, FirmwareErrorValue.NoSpace, "the package could not be written to storage", now);
                return FirmwareOperationStatus.InternalError;
        }
    }

    /// <summary>Under the lock: a push begins (or begins again) from an empty image, announced as started.</summary>
    private void StartPushLocked(DateTimeOffset now)
    {
        DeleteImage(now, announce: false);
        _generation++;
        _lastProgress = 0;
        _pushTotal = null;
        Raise(new FirmwareUpdateStarted(now, ""));
    }

    /// <summary>Under the lock: Downloading → Idle with <paramref name="result"/>, the error event, the image deleted.</summary>
    private void FailDownloadLocked(FirmwareUpdateResult result, FirmwareErrorKind kind, FirmwareErrorValue value, string reason, DateTimeOffset now)
    {
        _machine.DownloadFailed(result, now);
        Raise(new FirmwareError(now, kind, value, result, reason));
        DeleteImage(now);
    }

    private void StopDownloadLocked()
    {
        _generation++;
        _download?.Cancel();
        _download?.Dispose();
        _download = null;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
