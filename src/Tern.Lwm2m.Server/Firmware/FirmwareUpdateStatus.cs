using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Firmware;

/// <summary>Where a server-driven firmware update stands.</summary>
public enum FirmwareUpdatePhase
{
    /// <summary>Observations set up and the package (or its URI) on its way; the device has not reported Downloading yet.</summary>
    Started,

    /// <summary>The device reports Downloading.</summary>
    Downloading,

    /// <summary>The device reports Downloaded; Update is executed next (at once with auto-update).</summary>
    Downloaded,

    /// <summary>Update executed; waiting for the Update Result (across the device's reboot).</summary>
    Updating,

    /// <summary>Finished: Update Result 1.</summary>
    Succeeded,

    /// <summary>Finished: a failing Update Result, a refused operation or a timeout.</summary>
    Failed,

    /// <summary>Finished: cancelled.</summary>
    Cancelled,
}

/// <summary>A snapshot of one firmware update.</summary>
public sealed record FirmwareUpdateStatus
{
    /// <summary>The update's id.</summary>
    public required string Id { get; init; }

    /// <summary>The device's endpoint name.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Push or pull.</summary>
    public required FirmwareDelivery Delivery { get; init; }

    /// <summary>The Package URI written for a pull; null for a push.</summary>
    public Uri? PackageUri { get; init; }

    /// <summary>The package size.</summary>
    public required long ImageBytes { get; init; }

    /// <summary>Where the update stands.</summary>
    public required FirmwareUpdatePhase Phase { get; init; }

    /// <summary>True once the update succeeded, failed or was cancelled.</summary>
    public bool IsFinished => Phase is FirmwareUpdatePhase.Succeeded or FirmwareUpdatePhase.Failed or FirmwareUpdatePhase.Cancelled;

    /// <summary>The last State (/5/0/3) the device reported, if any.</summary>
    public FirmwareUpdateState? State { get; init; }

    /// <summary>The last Update Result (/5/0/5) the device reported, if any.</summary>
    public FirmwareUpdateResult? Result { get; init; }

    /// <summary>The name of <see cref="Result"/>, if any.</summary>
    public string? ResultName => Result is { } r ? FirmwareUpdateResultNames.Describe(r) : null;

    /// <summary>Why the update failed, in words; null otherwise.</summary>
    public string? Reason { get; init; }

    /// <summary>The firmware version (/3/0/3) read after a successful update.</summary>
    public string? FirmwareVersion { get; init; }

    /// <summary>Bytes the server has handed out (see <see cref="FotaProgress"/>).</summary>
    public long BytesDelivered { get; init; }

    /// <summary>When the update started (server clock).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it finished, if it did.</summary>
    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>Why a firmware request was refused.</summary>
public enum FirmwareUpdateError
{
    /// <summary>No client is registered under the endpoint name.</summary>
    NotRegistered,

    /// <summary>The client did not register object 5 (Firmware Update).</summary>
    NoFirmwareObject,

    /// <summary>An update of this endpoint is already running.</summary>
    AlreadyInProgress,

    /// <summary>The image is empty.</summary>
    EmptyImage,

    /// <summary>No update of this endpoint is running.</summary>
    NoUpdate,

    /// <summary>The client has no Cancel resource (/5/0/10).</summary>
    CancelNotSupported,

    /// <summary>The client refused the operation (its CoAP code is in the message).</summary>
    Refused,

    /// <summary>The update is not in a phase that allows the operation (e.g. Update before Downloaded).</summary>
    WrongPhase,

    /// <summary>The named image is not in <see cref="Lwm2mServer.FirmwareImages"/>.</summary>
    UnknownImage,
}

/// <summary>The answer to a firmware request: the update's status, or why it was refused.</summary>
public sealed record FirmwareUpdateOutcome
{
    private FirmwareUpdateOutcome(FirmwareUpdateStatus? status, FirmwareUpdateError? error, string? message)
    {
        Status = status;
        Error = error;
        Message = message;
    }

    /// <summary>The update, when the request was accepted.</summary>
    public FirmwareUpdateStatus? Status { get; }

    /// <summary>Why the request was refused; null when accepted.</summary>
    public FirmwareUpdateError? Error { get; }

    /// <summary>The refusal in words.</summary>
    public string? Message { get; }

    /// <summary>True when the request was accepted.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>An accepted request.</summary>
    public static FirmwareUpdateOutcome Accepted(FirmwareUpdateStatus status) => new(status ?? throw new ArgumentNullException(nameof(status)), null, null);

    /// <summary>A refused request.</summary>
    public static FirmwareUpdateOutcome Refused(FirmwareUpdateError error, string message) => new(null, error, message);

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"accepted: {Status!.Phase}" : $"{Error}: {Message}";
}
