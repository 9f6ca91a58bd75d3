using System.Text.Json.Serialization;
using Tern.Lwm2m.Server.Firmware;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Rest.Json;

/// <summary>
/// The fields a firmware update's status and its events share: whose update it is, where a pull fetches from, and how it
/// ended (Update Result, its name, the reason of a failure, the version running after a success).
/// </summary>
public abstract class FirmwareReportDto
{
    /// <summary>The device's endpoint name.</summary>
    [JsonPropertyName("endpoint")]
    public required string Endpoint { get; init; }

    /// <summary>The Package URI written for a pull.</summary>
    [JsonPropertyName("packageUri")]
    public string? PackageUri { get; init; }

    /// <summary>The Update Result (/5/0/5): the last one seen, or the one a failure or success reported.</summary>
    [JsonPropertyName("result")]
    public int? Result { get; init; }

    /// <summary>The name of <see cref="Result"/>.</summary>
    [JsonPropertyName("resultName")]
    public string? ResultName { get; init; }

    /// <summary>Why the update failed.</summary>
    [JsonPropertyName("reason")]
    public string? Reason { get; init; }

    /// <summary>/3/0/3 after a successful update.</summary>
    [JsonPropertyName("firmwareVersion")]
    public string? FirmwareVersion { get; init; }
}

/// <summary>A firmware update as <c>GET /api/clients/{endpoint}/firmware</c> shows it.</summary>
public sealed class FirmwareStatusDto : FirmwareReportDto
{
    /// <summary>The update's id.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary><c>push</c> or <c>pull</c>.</summary>
    [JsonPropertyName("method")]
    public required string Method { get; init; }

    /// <summary>The package size in bytes.</summary>
    [JsonPropertyName("imageBytes")]
    public long ImageBytes { get; init; }

    /// <summary><c>started</c>, <c>downloading</c>, <c>downloaded</c>, <c>updating</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    [JsonPropertyName("phase")]
    public required string Phase { get; init; }

    /// <summary>True once the update succeeded, failed or was cancelled.</summary>
    [JsonPropertyName("finished")]
    public bool Finished { get; init; }

    /// <summary>The last State (/5/0/3) seen.</summary>
    [JsonPropertyName("state")]
    public int? State { get; init; }

    /// <summary>When the update started.</summary>
    [JsonPropertyName("startedAt")]
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    [JsonPropertyName("finishedAt")]
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The DTO of <paramref name="status"/>.</summary>
    public static FirmwareStatusDto From(FirmwareUpdateStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new FirmwareStatusDto
        {
            Id = status.Id,
            Endpoint = status.Endpoint,
            Method = status.Delivery == FirmwareDelivery.Push ? "push" : "pull",
            PackageUri = status.PackageUri?.AbsoluteUri,
            ImageBytes = status.ImageBytes,
            Phase = status.Phase.ToString().ToLowerInvariant(),
            Finished = status.IsFinished,
            State = status.State is { } s ? (int)s : null,
            Result = status.Result is { } r ? (int)r : null,
            ResultName = status.ResultName,
            Reason = status.Reason,
            FirmwareVersion = status.FirmwareVersion,
            StartedAt = status.StartedAt,
            FinishedAt = status.FinishedAt,
        };
    }
}

/// <summary>The SSE data of a <c>firmware</c> event.</summary>
public sealed class FirmwareEventDto : FirmwareReportDto
{
    /// <summary>The update's id.</summary>
    [JsonPropertyName("updateId")]
    public required string UpdateId { get; init; }

    /// <summary><c>started</c>, <c>downloading</c>, <c>progress</c>, <c>downloaded</c>, <c>updating</c>, <c>reregistered</c>, <c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    [JsonPropertyName("event")]
    public required string Event { get; init; }

    /// <summary>Bytes delivered (progress).</summary>
    [JsonPropertyName("bytes")]
    public long? Bytes { get; init; }

    /// <summary>The package size (started, progress).</summary>
    [JsonPropertyName("total")]
    public long? Total { get; init; }

    /// <summary>When the server saw it.</summary>
    [JsonPropertyName("time")]
    public DateTimeOffset Time { get; init; }

    /// <summary>The DTO of <paramref name="update"/>: the common fields, and those its kind of event carries.</summary>
    public static FirmwareEventDto From(FirmwareUpdateEvent update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return new FirmwareEventDto
        {
            Endpoint = update.Endpoint,
            UpdateId = update.UpdateId,
            Time = update.Time,
            Event = Name(update),
            Total = update switch { FotaStarted s => s.ImageBytes, FotaProgress p => p.Total, _ => null },
            Bytes = (update as FotaProgress)?.Bytes,
            PackageUri = (update as FotaStarted)?.PackageUri?.AbsoluteUri,
            FirmwareVersion = (update as FotaSucceeded)?.FirmwareVersion,
            Result = update switch { FotaSucceeded => (int)FirmwareUpdateResult.Success, FotaFailed { Result: { } r } => (int)r, _ => null },
            ResultName = update switch { FotaSucceeded => FirmwareUpdateResultNames.Describe(FirmwareUpdateResult.Success), FotaFailed f => f.ResultName, _ => null },
            Reason = (update as FotaFailed)?.Reason,
        };
    }

    private static string Name(FirmwareUpdateEvent update) => update switch
    {
        FotaStarted => "started",
        FotaDownloading => "downloading",
        FotaProgress => "progress",
        FotaDownloaded => "downloaded",
        FotaUpdating => "updating",
        FotaReregistered => "reregistered",
        FotaSucceeded => "succeeded",
        FotaFailed => "failed",
        FotaCancelled => "cancelled",
        _ => "unknown",
    };
}
