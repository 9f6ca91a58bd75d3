using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Firmware;

public sealed partial class FirmwareUpdate
{
    private void StartPull(string uri, int generation, FirmwarePackageSink sink)
    {
        CancellationTokenSource cancel;
        lock (_gate)
        {
            if (generation != _generation || _disposed)
            {
                return;
            }

            _download?.Dispose();
            cancel = CancellationTokenSource.CreateLinkedTokenSource(_disposing.Token);
            _download = cancel;
        }

        // Started on this thread, so the first request is on its way before this returns (virtual-time tests rely on it).
        Task pull = PullAsync(uri, generation, sink, cancel.Token);
        lock (_gate)
        {
            Track(pull);
        }
    }

    private async Task PullAsync(string uri, int generation, FirmwarePackageSink sink, CancellationToken cancellationToken)
    {
        FirmwarePullResult result;
        try
        {
            result = await _puller.PullAsync(
                uri,
                sink,
                (bytes, total) => OnPullProgress(generation, bytes, total),
                (attempt, resumeAt, reason) => OnPullInterrupted(generation, attempt, resumeAt, reason),
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        if (result.Succeeded)
        {
            await VerifyAsync(generation, sink).ConfigureAwait(false);
            return;
        }

        lock (_gate)
        {
            if (generation != _generation || _machine.State != FirmwareUpdateState.Downloading)
            {
                return;
            }

            FirmwareUpdateSnapshot before = _machine.Snapshot;
            FailDownloadLocked(result.Result, result.Kind, result.Value, result.Reason, _time.GetUtcNow());
            Commit(before);
        }

        Deliver();
    }

    private void OnPullProgress(int generation, long bytes, long? total)
    {
        lock (_gate)
        {
            if (generation == _generation)
            {
                Progress(bytes, total);
            }
        }

        Deliver();
    }

    private void OnPullInterrupted(int generation, int attempt, long resumeAt, string reason)
    {
        lock (_gate)
        {
            if (generation == _generation)
            {
                Raise(new FirmwareDownloadInterrupted(_time.GetUtcNow(), attempt, resumeAt, reason));
            }
        }

        Deliver();
    }

    /// <summary>
    /// The package is stored whole: the application's verifier reads it back from storage. Valid → Downloaded;
    /// refused → as the "FOTA CRC failure" chart: an update-failure error with an invalid-package value, result 5 (or
    /// 6), the image deleted, State Idle.
    /// </summary>
    private async Task VerifyAsync(int generation, FirmwarePackageSink sink)
    {
        FirmwareVerificationResult verdict = FirmwareVerificationResult.Valid;
        if (_options.Verifier is { } verifier)
        {
            try
            {
                FileStream package = sink.OpenRead();
                await using (package.ConfigureAwait(false))
                {
                    verdict = await verifier.VerifyAsync(package, _disposing.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
            {
                return;
            }
            catch (IOException e)
            {
                verdict = FirmwareVerificationResult.IntegrityFailure("the stored package could not be read back: " + e.Message);
            }
            catch (InvalidOperationException e)
            {
                verdict = FirmwareVerificationResult.IntegrityFailure(e.Message);
            }
        }

        lock (_gate)
        {
            if (generation != _generation || _machine.State != FirmwareUpdateState.Downloading)
            {
                return;
            }

            DateTimeOffset now = _time.GetUtcNow();
            FirmwareUpdateSnapshot before = _machine.Snapshot;
            if (verdict.IsValid)
            {
                _machine.DownloadSucceeded(now);
                Raise(new FirmwareDownloaded(now, sink.Length));
            }
            else
            {
                FailDownloadLocked(verdict.Failure, FirmwareErrorKind.UpdateFailed, FirmwareErrorValue.InvalidPackage, verdict.Reason ?? "the package was refused", now);
            }

            Commit(before);
        }

        Deliver();
    }
}
