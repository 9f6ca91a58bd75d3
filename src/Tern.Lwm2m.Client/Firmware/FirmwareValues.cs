namespace Tern.Lwm2m.Client.Firmware;

/// <summary>Resource /5/0/3, State (LwM2M 1.1 object 5).</summary>
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

/// <summary>Resource /5/0/11, Severity of the image.</summary>
public enum FirmwareSeverity
{
    /// <summary>0: critical.</summary>
    Critical = 0,

    /// <summary>1: mandatory (the default).</summary>
    Mandatory = 1,

    /// <summary>2: optional.</summary>
    Optional = 2,
}

/// <summary>Resource /5/0/9, Firmware Update Delivery Method.</summary>
public enum FirmwareDeliveryMethod
{
    /// <summary>0: pull only (Package URI).</summary>
    PullOnly = 0,

    /// <summary>1: push only (Package).</summary>
    PushOnly = 1,

    /// <summary>2: both.</summary>
    Both = 2,
}

/// <summary>Resource /5/0/8 values: the protocols the client can pull a package with.</summary>
public enum FirmwareUpdateProtocol
{
    /// <summary>0: CoAP with block-wise transfer.</summary>
    Coap = 0,

    /// <summary>1: CoAP over DTLS with block-wise transfer.</summary>
    Coaps = 1,

    /// <summary>2: HTTP 1.1.</summary>
    Http = 2,

    /// <summary>3: HTTPS 1.1.</summary>
    Https = 3,

    /// <summary>4: CoAP over TCP.</summary>
    CoapTcp = 4,

    /// <summary>5: CoAP over TLS.</summary>
    CoapTls = 5,
}
