using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Firmware;

/// <summary>The kinds of firmware-update error (the carrier library's FOTA error types).</summary>
public enum FirmwareErrorKind
{
    /// <summary>The package was refused (FOTA_PKG): too large for storage, unsupported type.</summary>
    Package,

    /// <summary>The download protocol went wrong (FOTA_PROTO): unexpected response, server cannot serve ranges.</summary>
    Protocol,

    /// <summary>The download could not connect (FOTA_CONN): bad host, refused, URI unusable or unsupported.</summary>
    Connection,

    /// <summary>The connection was lost and the retries ran out (FOTA_CONN_LOST).</summary>
    ConnectionLost,

    /// <summary>The update failed (FOTA_FAIL): the image did not verify or did not install, or the secure channel was refused.</summary>
    UpdateFailed,
}

/// <summary>The detail value of a <see cref="FirmwareError"/> (the chart's errno-style value).</summary>
public enum FirmwareErrorValue
{
    /// <summary>No further detail.</summary>
    None,

    /// <summary>The package content is invalid (EINVAL in the "FOTA CRC failure" chart).</summary>
    InvalidPackage,

    /// <summary>The peer or its certificate was refused (ECONNREFUSED in the "FOTA CA certificate failure" chart).</summary>
    ConnectionRefused,

    /// <summary>The peer stopped answering.</summary>
    TimedOut,

    /// <summary>Storage is full or failed.</summary>
    NoSpace,

    /// <summary>The URI cannot be used.</summary>
    BadAddress,

    /// <summary>The URI's scheme is not supported.</summary>
    ProtocolNotSupported,
}

/// <summary>A firmware update started: a Package URI was written or the first Package block arrived (carrier FOTA_START).</summary>
/// <param name="Time">When.</param>
/// <param name="PackageUri">The URI being pulled, or empty for a push.</param>
public sealed record FirmwareUpdateStarted(DateTimeOffset Time, string PackageUri) : Lwm2mClientEvent(Time);

/// <summary>Download progress.</summary>
/// <param name="Time">When.</param>
/// <param name="Bytes">Bytes stored so far.</param>
/// <param name="Total">The package size when the server said it (CoAP Size2, HTTP Content-Length), else null.</param>
public sealed record FirmwareDownloadProgress(DateTimeOffset Time, long Bytes, long? Total) : Lwm2mClientEvent(Time);

/// <summary>A pull attempt broke off and will be resumed from <paramref name="ResumeAt"/> after a pause.</summary>
/// <param name="Time">When.</param>
/// <param name="Attempt">How many attempts have failed so far.</param>
/// <param name="ResumeAt">The byte offset the next attempt asks for.</param>
/// <param name="Reason">What broke.</param>
public sealed record FirmwareDownloadInterrupted(DateTimeOffset Time, int Attempt, long ResumeAt, string Reason) : Lwm2mClientEvent(Time);

/// <summary>The package is stored whole and verified; State is Downloaded.</summary>
/// <param name="Time">When.</param>
/// <param name="Bytes">Its size.</param>
public sealed record FirmwareDownloaded(DateTimeOffset Time, long Bytes) : Lwm2mClientEvent(Time);

/// <summary>
/// Update was executed: the device is about to install the image and restart (carrier REBOOT). The application's
/// <see cref="FirmwareUpdateOptions.RebootPolicy"/> may postpone it, within the Maximum Defer Period.
/// </summary>
/// <param name="Time">When.</param>
/// <param name="Severity">The image's severity (/5/0/11).</param>
/// <param name="Deadline">When the update starts without asking, if deferral is allowed; else null.</param>
public sealed record FirmwareRebootRequested(DateTimeOffset Time, FirmwareSeverity Severity, DateTimeOffset? Deadline) : Lwm2mClientEvent(Time);

/// <summary>The application postponed the update; State stays Downloaded with Update Result 11.</summary>
/// <param name="Time">When.</param>
/// <param name="Until">When it is asked again.</param>
public sealed record FirmwareUpdateDeferred(DateTimeOffset Time, DateTimeOffset Until) : Lwm2mClientEvent(Time);

/// <summary>The installer is running (State Updating).</summary>
/// <param name="Time">When.</param>
public sealed record FirmwareUpdating(DateTimeOffset Time) : Lwm2mClientEvent(Time);

/// <summary>The update succeeded (carrier FOTA_SUCCESS); Update Result 1.</summary>
/// <param name="Time">When.</param>
/// <param name="PackageVersion">The version now running, when known.</param>
public sealed record FirmwareUpdateSucceeded(DateTimeOffset Time, string PackageVersion) : Lwm2mClientEvent(Time);

/// <summary>Something went wrong (carrier ERROR with a FOTA type and value).</summary>
/// <param name="Time">When.</param>
/// <param name="Kind">The error type.</param>
/// <param name="Value">The detail.</param>
/// <param name="Result">The Update Result it set.</param>
/// <param name="Reason">A message for logs.</param>
public sealed record FirmwareError(DateTimeOffset Time, FirmwareErrorKind Kind, FirmwareErrorValue Value, FirmwareUpdateResult Result, string Reason) : Lwm2mClientEvent(Time);

/// <summary>The stored image was deleted (after a failed check, a reset or a cancel).</summary>
/// <param name="Time">When.</param>
public sealed record FirmwareImageDeleted(DateTimeOffset Time) : Lwm2mClientEvent(Time);

/// <summary>The persisted firmware state could not be read; object 5 started from Idle.</summary>
/// <param name="Time">When.</param>
/// <param name="Reason">What was wrong with the file.</param>
public sealed record FirmwareStateCorrupted(DateTimeOffset Time, string Reason) : Lwm2mClientEvent(Time);
