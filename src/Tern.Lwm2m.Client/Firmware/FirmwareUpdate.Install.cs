using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Firmware;

public sealed partial class FirmwareUpdate
{
    private ITimer? _deferTimer;

    /// <summary>
    /// Execute /5/0/2: only in Downloaded, else 4.05. Raises <see cref="FirmwareRebootRequested"/> and asks
    /// <see cref="FirmwareUpdateOptions.RebootPolicy"/>: a postponement keeps State Downloaded with result 11 and asks
    /// again later (the update starts unasked once /5/0/13 has passed); otherwise State becomes Updating and the
    /// installer runs in the background.
    /// </summary>
    public FirmwareOperationStatus ExecuteUpdate()
    {
        FirmwareOperationStatus status;
        lock (_gate)
        {
            ThrowIfDisposed();
            status = _machine.RequestUpdate();
        }

        if (status == FirmwareOperationStatus.Changed)
        {
            AskToUpdate();
        }

        return status;
    }

    /// <summary>
    /// After a restart that continued an installation (<see cref="FirmwareInstallOutcome.RestartPending"/>, or no
    /// installer): the application says how it ended. Success → Idle with result 1 and the package deleted;
    /// failure → Downloaded with result 8.
    /// </summary>
    /// <param name="success">True when the new firmware runs.</param>
    /// <exception cref="InvalidOperationException">State is not Updating.</exception>
    public void ReportUpdateOutcome(bool success)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_machine.State != FirmwareUpdateState.Updating)
            {
                throw new InvalidOperationException($"Object 5 is {_machine.State}: report an update's outcome only while it is Updating (after Execute Update or the restart it caused).");
            }

            FinishUpdateLocked(success ? FirmwareInstallOutcome.Installed : FirmwareInstallOutcome.Failed, "the installation failed after the restart");
        }

        Deliver();
    }

    private void AskToUpdate()
    {
        FirmwareRebootRequested request;
        bool mustUpdate;
        lock (_gate)
        {
            if (_disposed || _machine.State != FirmwareUpdateState.Downloaded)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            mustUpdate = _machine.MustUpdateNow(now);
            TimeSpan period = _machine.Snapshot.MaximumDeferPeriod;
            DateTimeOffset? deadline = period > TimeSpan.Zero ? _machine.Snapshot.DeferDeadline ?? now + period : null;
            request = new FirmwareRebootRequested(now, _machine.Snapshot.Severity, deadline);
            Raise(request);
        }

        Deliver();
        FirmwareRebootDecision decision = mustUpdate || _options.RebootPolicy is null
            ? FirmwareRebootDecision.Proceed
            : _options.RebootPolicy(request);
        Task? install = null;
        lock (_gate)
        {
            if (_disposed || _machine.State != FirmwareUpdateState.Downloaded)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            FirmwareUpdateSnapshot before = _machine.Snapshot;
            if (decision.PostponeFor is { } delay && _machine.Defer(now + delay, now))
            {
                ArmDeferTimer();
                Raise(new FirmwareUpdateDeferred(now, _machine.DeferredUntil!.Value));
            }
            else
            {
                DisarmDeferTimer();
                _machine.BeginUpdate(now);
                Raise(new FirmwareUpdating(now));
                if (_options.Installer is { } installer)
                {
                    install = InstallAsync(installer, _sink.PackagePath);
                    Track(install);
                }
            }

            Commit(before);
        }

        Deliver();
    }

    private async Task InstallAsync(IFirmwareInstaller installer, string packagePath)
    {
        await Task.Yield();
        FirmwareInstallOutcome outcome;
        string reason = "the installer reported a failure";
        try
        {
            outcome = await installer.InstallAsync(packagePath, _disposing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            outcome = FirmwareInstallOutcome.Failed;
            reason = "the installer failed: " + e.Message;
        }

        if (outcome == FirmwareInstallOutcome.RestartPending)
        {
            return;
        }

        lock (_gate)
        {
            if (_machine.State == FirmwareUpdateState.Updating)
            {
                FinishUpdateLocked(outcome, reason);
            }
        }

        Deliver();
    }

    private void FinishUpdateLocked(FirmwareInstallOutcome outcome, string reason)
    {
        DateTimeOffset now = _time.GetUtcNow();
        FirmwareUpdateSnapshot before = _machine.Snapshot;
        switch (outcome)
        {
            case FirmwareInstallOutcome.Installed:
                _machine.UpdateFinished(success: true, imageBad: false, now);
                DeleteImage(now, announce: false);
                Raise(new FirmwareUpdateSucceeded(now, _machine.Snapshot.PackageVersion));
                break;
            case FirmwareInstallOutcome.InvalidImage:
                _machine.UpdateFinished(success: false, imageBad: true, now);
                Raise(new FirmwareError(now, FirmwareErrorKind.UpdateFailed, FirmwareErrorValue.InvalidPackage, FirmwareUpdateResult.IntegrityCheckFailure, reason));
                DeleteImage(now);
                break;
            default:
                _machine.UpdateFinished(success: false, imageBad: false, now);
                Raise(new FirmwareError(now, FirmwareErrorKind.UpdateFailed, FirmwareErrorValue.None, FirmwareUpdateResult.UpdateFailed, reason));
                break;
        }

        Commit(before);
    }

    /// <summary>Under the lock: wakes up when the deferral ends to ask again (or to start unasked at the deadline).</summary>
    private void ArmDeferTimer()
    {
        if (_machine.NextWakeUp is not { } due)
        {
            return;
        }

        TimeSpan delay = due - _time.GetUtcNow();
        _deferTimer ??= _time.CreateTimer(static state => ((FirmwareUpdate)state!).AskToUpdate(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _deferTimer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
    }

    private void DisarmDeferTimer() => _deferTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
}
