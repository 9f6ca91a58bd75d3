namespace Tern.Lwm2m.Server.Firmware;

/// <summary>Resource /5/0/3, State, as a client of LwM2M 1.1 reports it.</summary>
public enum FotaState
{
    /// <summary>0: before downloading or after a successful update.</summary>
    Idle = 0,

    /// <summary>1: the package is on its way.</summary>
    Downloading = 1,

    /// <summary>2: the package is stored and verified; Update may be executed.</summary>
    Downloaded = 2,

    /// <summary>3: the package is being installed.</summary>
    Updating = 3,
}

/// <summary>Resource /5/0/5, Update Result, values 0 to 11 of LwM2M 1.1.</summary>
public enum FotaResult
{
    /// <summary>0: initial value, reset when a download or update starts.</summary>
    Initial = 0,

    /// <summary>1: firmware updated successfully.</summary>
    Success = 1,

    /// <summary>2: not enough flash memory for the new package.</summary>
    NotEnoughFlash = 2,

    /// <summary>3: out of RAM during the download.</summary>
    OutOfRam = 3,

    /// <summary>4: connection lost during the download.</summary>
    ConnectionLost = 4,

    /// <summary>5: integrity check failure for the new package.</summary>
    IntegrityCheckFailure = 5,

    /// <summary>6: unsupported package type.</summary>
    UnsupportedPackageType = 6,

    /// <summary>7: invalid URI.</summary>
    InvalidUri = 7,

    /// <summary>8: firmware update failed.</summary>
    UpdateFailed = 8,

    /// <summary>9: unsupported protocol.</summary>
    UnsupportedProtocol = 9,

    /// <summary>10: the update was cancelled (Execute on /5/0/10).</summary>
    Cancelled = 10,

    /// <summary>11: the update was deferred by the device.</summary>
    Deferred = 11,
}

/// <summary>Human-readable names of <see cref="FotaResult"/> values, worded as the LwM2M TS does.</summary>
public static class FotaResultNames
{
    /// <summary>The TS's name of <paramref name="result"/>, e.g. "Integrity check failure" for 5; "Unknown result N" outside 0 to 11.</summary>
    public static string Describe(FotaResult result) => result switch
    {
        FotaResult.Initial => "Initial value",
        FotaResult.Success => "Firmware updated successfully",
        FotaResult.NotEnoughFlash => "Not enough flash memory for the new firmware package",
        FotaResult.OutOfRam => "Out of RAM during downloading process",
        FotaResult.ConnectionLost => "Connection lost during downloading process",
        FotaResult.IntegrityCheckFailure => "Integrity check failure for new downloaded package",
        FotaResult.UnsupportedPackageType => "Unsupported package type",
        FotaResult.InvalidUri => "Invalid URI",
        FotaResult.UpdateFailed => "Firmware update failed",
        FotaResult.UnsupportedProtocol => "Unsupported protocol",
        FotaResult.Cancelled => "Firmware update cancelled",
        FotaResult.Deferred => "Firmware update deferred",
        _ => $"Unknown result {(int)result}",
    };
}
