namespace Tern.Lwm2m.Model;

/// <summary>Resource /5/0/3, State (LwM2M 1.1 object 5), as a client keeps it and a server reads it.</summary>
public enum FirmwareUpdateState
{
    /// <summary>0: before downloading or after a successful update.</summary>
    Idle = 0,

    /// <summary>1: the package is on its way (pushed to /5/0/0 or pulled from /5/0/1).</summary>
    Downloading = 1,

    /// <summary>2: the whole package is stored and verified; Update may be executed.</summary>
    Downloaded = 2,

    /// <summary>3: the package is being installed.</summary>
    Updating = 3,
}

/// <summary>Resource /5/0/5, Update Result: the outcome of the last download or update (values 0–11).</summary>
public enum FirmwareUpdateResult
{
    /// <summary>0: initial value; reset whenever a download or update starts.</summary>
    Initial = 0,

    /// <summary>1: firmware updated successfully.</summary>
    Success = 1,

    /// <summary>2: not enough flash memory for the new package.</summary>
    NotEnoughFlash = 2,

    /// <summary>3: out of RAM during the download.</summary>
    OutOfRam = 3,

    /// <summary>4: connection lost during the download.</summary>
    ConnectionLost = 4,

    /// <summary>5: integrity check failure for the downloaded package.</summary>
    IntegrityCheckFailure = 5,

    /// <summary>6: unsupported package type.</summary>
    UnsupportedPackageType = 6,

    /// <summary>7: invalid URI.</summary>
    InvalidUri = 7,

    /// <summary>8: firmware update failed.</summary>
    UpdateFailed = 8,

    /// <summary>9: the Package URI names a protocol (scheme) the client does not support.</summary>
    UnsupportedProtocol = 9,

    /// <summary>10: cancelled by Execute on /5/0/10.</summary>
    Cancelled = 10,

    /// <summary>11: the update was deferred (the application postponed the reboot).</summary>
    Deferred = 11,
}

/// <summary>Human-readable names of <see cref="FirmwareUpdateResult"/> values, worded as the LwM2M TS does.</summary>
public static class FirmwareUpdateResultNames
{
    /// <summary>The TS's name of <paramref name="result"/>, e.g. "Integrity check failure" for 5; "Unknown result N" outside 0 to 11.</summary>
    public static string Describe(FirmwareUpdateResult result) => result switch
    {
        FirmwareUpdateResult.Initial => "Initial value",
        FirmwareUpdateResult.Success => "Firmware updated successfully",
        FirmwareUpdateResult.NotEnoughFlash => "Not enough flash memory for the new firmware package",
        FirmwareUpdateResult.OutOfRam => "Out of RAM during downloading process",
        FirmwareUpdateResult.ConnectionLost => "Connection lost during downloading process",
        FirmwareUpdateResult.IntegrityCheckFailure => "Integrity check failure for new downloaded package",
        FirmwareUpdateResult.UnsupportedPackageType => "Unsupported package type",
        FirmwareUpdateResult.InvalidUri => "Invalid URI",
        FirmwareUpdateResult.UpdateFailed => "Firmware update failed",
        FirmwareUpdateResult.UnsupportedProtocol => "Unsupported protocol",
        FirmwareUpdateResult.Cancelled => "Firmware update cancelled",
        FirmwareUpdateResult.Deferred => "Firmware update deferred",
        _ => $"Unknown result {(int)result}",
    };
}
