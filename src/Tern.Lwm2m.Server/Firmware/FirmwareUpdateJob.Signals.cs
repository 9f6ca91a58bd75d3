using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Server.Firmware;

internal sealed partial class FirmwareUpdateJob
{
    /// <summary>Applies one signal; true when the update has finished.</summary>
    private async Task<bool> HandleAsync(Signal signal)
    {
        switch (signal)
        {
            case StateSeen(FirmwareUpdateState state):
                Record(StatePath, (long)state);
                await OnStateAsync(state).ConfigureAwait(false);
                break;
            case ResultSeen(FirmwareUpdateResult result):
                Record(ResultPath, (long)result);
                await OnResultAsync(result).ConfigureAwait(false);
                break;
            case Reregistered(var registration):
                _owner.Raise(new FotaReregistered(Endpoint, Id, Now, registration.Id));
                await FollowAsync(applyValues: true).ConfigureAwait(false);
                break;
            case Executed:
                EnterUpdating();
                break;
            case CancelDone:
                Finish(FirmwareUpdatePhase.Cancelled, Status.Result, null);
                break;
            case Deadline:
                Finish(FirmwareUpdatePhase.Failed, null, $"the update did not finish within {_request.Timeout}");
                break;
        }

        return Status.IsFinished;
    }

    private async Task OnStateAsync(FirmwareUpdateState state)
    {
        FirmwareUpdatePhase phase = Status.Phase;
        switch (state)
        {
            case FirmwareUpdateState.Downloading when phase == FirmwareUpdatePhase.Started:
                SetPhase(FirmwareUpdatePhase.Downloading);
                _owner.Raise(new FotaDownloading(Endpoint, Id, Now));
                break;
            case FirmwareUpdateState.Downloaded when phase is FirmwareUpdatePhase.Started or FirmwareUpdatePhase.Downloading:
                SetPhase(FirmwareUpdatePhase.Downloaded);
                _owner.Raise(new FotaDownloaded(Endpoint, Id, Now));
                if (_request.AutoUpdate)
                {
                    await ExecuteUpdateAsync().ConfigureAwait(false);
                }

                break;
            case FirmwareUpdateState.Updating when phase is not FirmwareUpdatePhase.Updating:
                EnterUpdating();
                break;
        }
    }

    private async Task OnResultAsync(FirmwareUpdateResult result)
    {
        switch (result)
        {
            case FirmwareUpdateResult.Initial or FirmwareUpdateResult.Deferred:
                break;
            case FirmwareUpdateResult.Success when Status.Phase is FirmwareUpdatePhase.Downloaded or FirmwareUpdatePhase.Updating:
                ReadResult version = await OverNetwork(Server.ReadAsync(Endpoint, VersionPath, cancellationToken: _stop.Token)).ConfigureAwait(false);
                string? text = version.Node is Lwm2mSingleResource { Value.Type: Lwm2mResourceType.String } single ? single.Value.AsString() : null;
                lock (_gate)
                {
                    _status = _status with { FirmwareVersion = text };
                }

                Finish(FirmwareUpdatePhase.Succeeded, result, null);
                break;
            case FirmwareUpdateResult.Success:
                // A success before the package was even downloaded belongs to an earlier update.
                break;
            case FirmwareUpdateResult.Cancelled:
                Finish(FirmwareUpdatePhase.Cancelled, result, null);
                break;
            default:
                Finish(FirmwareUpdatePhase.Failed, result, $"the device reported Update Result {(int)result} ({FirmwareUpdateResultNames.Describe(result)})");
                break;
        }
    }

    /// <summary>Executes /5/0/2. A device that reboots before answering leaves the update Updating; a refusal fails it.</summary>
    private async Task ExecuteUpdateAsync()
    {
        Lwm2mResult executed = await OverNetwork(Server.ExecuteAsync(Endpoint, UpdatePath, cancellationToken: _stop.Token)).ConfigureAwait(false);
        if (executed.IsSuccess || executed.Status is Lwm2mResultStatus.Timeout or Lwm2mResultStatus.NetworkError or Lwm2mResultStatus.NotRegistered)
        {
            EnterUpdating();
            return;
        }

        Finish(FirmwareUpdatePhase.Failed, null, $"the device refused Update (/5/0/2): {executed}");
    }

    private void EnterUpdating()
    {
        if (Status.Phase is FirmwareUpdatePhase.Updating || Status.IsFinished)
        {
            return;
        }

        SetPhase(FirmwareUpdatePhase.Updating);
        _owner.Raise(new FotaUpdating(Endpoint, Id, Now));
    }

    /// <summary>Update executed on request (auto-update off): only once the device reported Downloaded.</summary>
    public async Task<FirmwareUpdateOutcome> ExecuteFromApiAsync(CancellationToken cancellationToken)
    {
        if (Status.Phase != FirmwareUpdatePhase.Downloaded)
        {
            return FirmwareUpdateOutcome.Refused(FirmwareUpdateError.WrongPhase, $"The update of '{Endpoint}' is {Status.Phase}; Update is executed once it is Downloaded.");
        }

        Lwm2mResult executed = await Server.ExecuteAsync(Endpoint, UpdatePath, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!executed.IsSuccess)
        {
            return FirmwareUpdateOutcome.Refused(FirmwareUpdateError.Refused, $"The device refused Update (/5/0/2): {executed}");
        }

        Send(new Executed());
        return FirmwareUpdateOutcome.Accepted(Status);
    }

    /// <summary>Cancels through /5/0/10 when the device lists it (Discover of /5/0), then ends the update as cancelled.</summary>
    public async Task<FirmwareUpdateOutcome> CancelAsync(CancellationToken cancellationToken)
    {
        DiscoverResult discovered = await Server.DiscoverAsync(Endpoint, new Lwm2mPath(5, 0), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!discovered.IsSuccess)
        {
            return FirmwareUpdateOutcome.Refused(FirmwareUpdateError.Refused, $"The Discover of /5/0 failed: {discovered}");
        }

        if (!discovered.Links.Any(IsCancelResource))
        {
            return FirmwareUpdateOutcome.Refused(FirmwareUpdateError.CancelNotSupported, $"'{Endpoint}' has no Cancel resource (/5/0/10).");
        }

        Lwm2mResult executed = await Server.ExecuteAsync(Endpoint, CancelPath, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!executed.IsSuccess)
        {
            return FirmwareUpdateOutcome.Refused(FirmwareUpdateError.Refused, $"The device refused Cancel (/5/0/10): {executed}");
        }

        Send(new CancelDone());

        // A push still in flight stops; the task ends the update as cancelled when it sees the signal.
        if (_request.Delivery == FirmwareDelivery.Push && Status.Phase is FirmwareUpdatePhase.Started or FirmwareUpdatePhase.Downloading)
        {
            Finish(FirmwareUpdatePhase.Cancelled, null, null);
            try
            {
                await _stop.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The update's task already ended.
            }
        }

        return FirmwareUpdateOutcome.Accepted(Status);
    }

    /// <summary>The server is going away: the update ends as failed and its task stops waiting.</summary>
    public void Stop()
    {
        Finish(FirmwareUpdatePhase.Failed, null, "the server stopped");
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The update's task already ended.
        }
    }

    private static bool IsCancelResource(CoreLink link) =>
        Lwm2mPath.TryParse(link.Target, out Lwm2mPath path) && path == CancelPath;

    private void SetPhase(FirmwareUpdatePhase phase)
    {
        lock (_gate)
        {
            _status = _status with { Phase = phase };
        }
    }

    /// <summary>Ends the update once (later calls do nothing) and raises its final event.</summary>
    private void Finish(FirmwareUpdatePhase phase, FirmwareUpdateResult? result, string? reason)
    {
        FirmwareUpdateEvent final;
        lock (_gate)
        {
            if (_status.IsFinished)
            {
                return;
            }

            _status = _status with { Phase = phase, Result = result ?? _status.Result, Reason = reason, FinishedAt = Now };
            DateTimeOffset now = _status.FinishedAt.Value;
            final = phase switch
            {
                FirmwareUpdatePhase.Succeeded => new FotaSucceeded(Endpoint, Id, now, _status.FirmwareVersion),
                FirmwareUpdatePhase.Cancelled => new FotaCancelled(Endpoint, Id, now),
                _ => new FotaFailed(Endpoint, Id, now, result, result is { } r ? FirmwareUpdateResultNames.Describe(r) : null, reason ?? "failed"),
            };
        }

        _owner.Raise(final);
    }
}
