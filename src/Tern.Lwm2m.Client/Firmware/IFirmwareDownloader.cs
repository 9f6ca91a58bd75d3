namespace Tern.Lwm2m.Client.Firmware;

/// <summary>How one download attempt ended.</summary>
public enum FirmwareTransferStatus
{
    /// <summary>The whole package is stored.</summary>
    Completed,

    /// <summary>The connection broke or the peer went quiet; another attempt resumes where this one stopped.</summary>
    Interrupted,

    /// <summary>The peer could not be reached or was refused (no route, refused, unresolvable host); retried.</summary>
    ConnectFailed,

    /// <summary>The secure channel was refused (untrusted certificate, failed handshake); retrying will not help.</summary>
    SecurityRefused,

    /// <summary>The resource does not exist (CoAP 4.04, HTTP 404): the URI is wrong.</summary>
    NotFound,

    /// <summary>The peer answered in a way the protocol does not allow, or refused the request.</summary>
    ProtocolError,

    /// <summary>The package does not fit the storage allowed for it.</summary>
    TooLarge,

    /// <summary>Writing to storage failed.</summary>
    StorageFailed,
}

/// <summary>The outcome of <see cref="IFirmwareDownloader.DownloadAsync"/>.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Reason">What happened, for logs and events.</param>
public sealed record FirmwareTransferOutcome(FirmwareTransferStatus Status, string Reason)
{
    /// <summary>The whole package is stored.</summary>
    public static FirmwareTransferOutcome Completed { get; } = new(FirmwareTransferStatus.Completed, "complete");
}

/// <summary>Reports bytes stored so far and the total when known.</summary>
/// <param name="bytes">Bytes stored contiguously.</param>
/// <param name="total">The package size the server announced, or null.</param>
public delegate void FirmwareProgressCallback(long bytes, long? total);

/// <summary>
/// Pulls a package over one family of URI schemes into a <see cref="FirmwarePackageSink"/>, starting at the sink's
/// <see cref="FirmwarePackageSink.Length"/> so an interrupted download resumes rather than restarts. Retries are
/// the caller's business (<see cref="FirmwarePuller"/>); one call is one attempt.
/// </summary>
public interface IFirmwareDownloader
{
    /// <summary>True when this downloader handles <paramref name="scheme"/> (lower case, e.g. "coap").</summary>
    bool Supports(string scheme);

    /// <summary>One attempt: fetches from <paramref name="uri"/> what the sink still lacks.</summary>
    /// <param name="uri">An absolute URI with a supported scheme.</param>
    /// <param name="sink">Where the bytes go; its length is where the attempt starts.</param>
    /// <param name="progress">Called after each stored block.</param>
    /// <param name="cancellationToken">Stops the attempt (cancel, reset, dispose).</param>
    Task<FirmwareTransferOutcome> DownloadAsync(Uri uri, FirmwarePackageSink sink, FirmwareProgressCallback progress, CancellationToken cancellationToken);
}
