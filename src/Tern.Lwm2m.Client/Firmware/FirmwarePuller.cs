using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Firmware;

/// <summary>How a pull ended, as object 5 reports it.</summary>
/// <param name="Result">The Update Result on failure; <see cref="FirmwareUpdateResult.Initial"/> on success.</param>
/// <param name="Kind">The error type on failure.</param>
/// <param name="Value">The error detail on failure.</param>
/// <param name="Reason">What happened.</param>
public sealed record FirmwarePullResult(FirmwareUpdateResult Result, FirmwareErrorKind Kind, FirmwareErrorValue Value, string Reason)
{
    /// <summary>True when the whole package is stored.</summary>
    public bool Succeeded => Result == FirmwareUpdateResult.Initial;
}

/// <summary>Retry settings of a pull.</summary>
public sealed class FirmwarePullOptions
{
    private readonly int _maxRetries = 5;
    private readonly TimeSpan _retryDelay = TimeSpan.FromSeconds(10);
    private readonly TimeSpan _maxRetryDelay = TimeSpan.FromMinutes(5);

    /// <summary>Attempts after the first that may fail in a row (no byte gained) before the pull gives up with result 4 (default 5).</summary>
    public int MaxRetries
    {
        get => _maxRetries;
        init => _maxRetries = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxRetries), value, "Retries cannot be negative.");
    }

    /// <summary>The pause before the first retry; it doubles for each further failure in a row (default 10 s).</summary>
    public TimeSpan RetryDelay
    {
        get => _retryDelay;
        init => _retryDelay = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(RetryDelay), value, "The delay cannot be negative.");
    }

    /// <summary>The longest pause between attempts (default 5 minutes).</summary>
    public TimeSpan MaxRetryDelay
    {
        get => _maxRetryDelay;
        init => _maxRetryDelay = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxRetryDelay), value, "The delay cannot be negative.");
    }
}

/// <summary>
/// Runs a pull from a Package URI: checks the URI (result 7 when it is not an absolute URI, 9 when no downloader
/// serves its scheme), then lets the matching <see cref="IFirmwareDownloader"/> try, resuming after each
/// interruption from the bytes already stored, pausing on the <see cref="TimeProvider"/> between attempts, and
/// giving up with result 4 once <see cref="FirmwarePullOptions.MaxRetries"/> attempts in a row gained nothing.
/// </summary>
/// <param name="downloaders">The downloaders, asked in order which serves a scheme.</param>
/// <param name="options">Retry settings.</param>
/// <param name="time">The clock the pauses run on.</param>
public sealed class FirmwarePuller(IReadOnlyList<IFirmwareDownloader> downloaders, FirmwarePullOptions options, TimeProvider time)
{
    /// <summary>The schemes some downloader serves, among coap, coaps, http and https.</summary>
    public IEnumerable<FirmwareUpdateProtocol> Protocols =>
        new (string Scheme, FirmwareUpdateProtocol Protocol)[]
        {
            ("coap", FirmwareUpdateProtocol.Coap), ("coaps", FirmwareUpdateProtocol.Coaps),
            ("http", FirmwareUpdateProtocol.Http), ("https", FirmwareUpdateProtocol.Https),
        }.Where(p => downloaders.Any(d => d.Supports(p.Scheme))).Select(p => p.Protocol);

    /// <summary>Pulls <paramref name="packageUri"/> into <paramref name="sink"/>, reporting progress and interruptions.</summary>
    /// <param name="packageUri">The Package URI as written to /5/0/1.</param>
    /// <param name="sink">Where the package goes; a resumed pull starts at its length.</param>
    /// <param name="progress">Called after each stored block.</param>
    /// <param name="interrupted">Called when an attempt fails and another will follow: (failures in a row, resume offset, reason).</param>
    /// <param name="cancellationToken">Stops the pull (cancel, reset).</param>
    public async Task<FirmwarePullResult> PullAsync(
        string packageUri, FirmwarePackageSink sink, FirmwareProgressCallback progress, Action<int, long, string> interrupted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(interrupted);
        // On Unix "/a/b" parses as an implicit file URI; a Package URI must name its scheme.
        if (!Uri.TryCreate(packageUri, UriKind.Absolute, out Uri? uri)
            || !packageUri.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase)
            || (string.IsNullOrEmpty(uri.Host) && uri.Scheme is "coap" or "coaps" or "http" or "https"))
        {
            return new(FirmwareUpdateResult.InvalidUri, FirmwareErrorKind.Connection, FirmwareErrorValue.BadAddress, $"'{packageUri}' is not an absolute URI");
        }

        IFirmwareDownloader? downloader = downloaders.FirstOrDefault(d => d.Supports(uri.Scheme));
        if (downloader is null)
        {
            return new(FirmwareUpdateResult.UnsupportedProtocol, FirmwareErrorKind.Protocol, FirmwareErrorValue.ProtocolNotSupported, $"no downloader for scheme '{uri.Scheme}'");
        }

        int failures = 0;
        while (true)
        {
            long before = sink.Length;
            FirmwareTransferOutcome outcome = await downloader.DownloadAsync(uri, sink, progress, cancellationToken).ConfigureAwait(false);
            switch (outcome.Status)
            {
                case FirmwareTransferStatus.Completed:
                    return new(FirmwareUpdateResult.Initial, default, default, outcome.Reason);
                case FirmwareTransferStatus.NotFound:
                    return new(FirmwareUpdateResult.InvalidUri, FirmwareErrorKind.Connection, FirmwareErrorValue.BadAddress, outcome.Reason);
                case FirmwareTransferStatus.SecurityRefused:
                    // As the "FOTA CA certificate failure" chart: an update failure with ECONNREFUSED, no retry.
                    return new(FirmwareUpdateResult.ConnectionLost, FirmwareErrorKind.UpdateFailed, FirmwareErrorValue.ConnectionRefused, outcome.Reason);
                case FirmwareTransferStatus.ProtocolError:
                    return new(FirmwareUpdateResult.ConnectionLost, FirmwareErrorKind.Protocol, FirmwareErrorValue.None, outcome.Reason);
                case FirmwareTransferStatus.TooLarge or FirmwareTransferStatus.StorageFailed:
                    return new(FirmwareUpdateResult.NotEnoughFlash, FirmwareErrorKind.Package, FirmwareErrorValue.NoSpace, outcome.Reason);
            }

            // Interrupted or could not connect: retry, counting only attempts that gained nothing.
            failures = sink.Length > before ? 1 : failures + 1;
            if (failures > options.MaxRetries)
            {
                return outcome.Status == FirmwareTransferStatus.ConnectFailed && sink.Length == 0
                    ? new(FirmwareUpdateResult.ConnectionLost, FirmwareErrorKind.Connection, FirmwareErrorValue.ConnectionRefused, outcome.Reason)
                    : new(FirmwareUpdateResult.ConnectionLost, FirmwareErrorKind.ConnectionLost, FirmwareErrorValue.TimedOut, outcome.Reason);
            }

            interrupted(failures, sink.Length, outcome.Reason);
            sink.Flush();
            TimeSpan delay = options.RetryDelay * Math.Pow(2, Math.Min(failures - 1, 16));
            await Task.Delay(delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
