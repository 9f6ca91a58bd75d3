using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Server.Firmware;

/// <summary>Something that happened in a firmware update the server drives; the concrete records say what.</summary>
/// <param name="Endpoint">The device's endpoint name.</param>
/// <param name="UpdateId">The update's id (as in <see cref="FirmwareUpdateStatus.Id"/>).</param>
/// <param name="Time">When the server saw it (its clock).</param>
public abstract record FirmwareUpdateEvent(string Endpoint, string UpdateId, DateTimeOffset Time);

/// <summary>The update started: the package is about to be pushed, or its URI written.</summary>
/// <param name="Endpoint">The device's endpoint name.</param>
/// <param name="UpdateId">The update's id.</param>
/// <param name="Time">When.</param>
/// <param name="Delivery">Push or pull.</param>
/// <param name="PackageUri">The URI written to /5/0/1 for a pull; null for a push.</param>
/// <param name="ImageBytes">The package size.</param>
public sealed record FotaStarted(string Endpoint, string UpdateId, DateTimeOffset Time, FirmwareDelivery Delivery, Uri? PackageUri, long ImageBytes)
    : FirmwareUpdateEvent(Endpoint, UpdateId, Time);

/// <summary>The device reports State Downloading (1).</summary>
/// <param name="Endpoint">The device's endpoint name.</param>
/// <param name="UpdateId">The update's id.</param>
/// <param name="Time">When.</param>
public sealed record FotaDownloading(string Endpoint, string UpdateId, DateTimeOffset Time) : FirmwareUpdateEvent(Endpoint, UpdateId, Time);

/// <summary>
/// Bytes of the package the server has handed out so far (a push's Write finished, or ranges served over HTTP);
/// CoAP Block2 blocks served from the endpoint's cache are not counted.
/// </summary>
/// <param name="Endpoint">The device's endpoint name.</param>
/// <param name="UpdateId">The update's id.</param>
/// <param name="Time">When.</param>
/// <param name="Bytes">Bytes delivered so far.</param>
/// <param name="Total">The package size.</param>
public sealed record FotaProgress(string Endpoint, string UpdateId, DateTimeOffset Time, long Bytes, long Total) : FirmwareUpdateEvent(Endpoint, UpdateId, Time);

/// <summary>The device reports State Downloaded (2): the package is stored and verified.</summary>
/// <param name="Endpoint">The device's endpoint name.</param>
/// <param name="UpdateId">The update's id.</param>
/// <param name="Time">When.</param>
public sealed record FotaDownloaded(string Endpoint, string UpdateId, DateTimeOffset Time) : FirmwareUpdateEvent(Endpoint, UpdateId, Time);

/// <summary>Update (/5/0/2) was executed, or the device reports State Updating (3).</summary>
/// <param name="Endpoint">The device's endpoint name.</param>
/// <param name="UpdateId">The update's id.</param>
/// <param name="Time">When.</param>
public sealed record FotaUpdating(string Endpoint, string UpdateId, DateTimeOffset Time) : FirmwareUpdateEvent(Endpoint, UpdateId, Time);

/// <summary>The device re-registered while the update ran (after its reboot, typically); the server follows it again.</summary>
/// <param name="Endpoint">The device's endpoint name.</param>
/// <param name="UpdateId">The update's id.</param>
/// <param name="Time">When.</param>
/// <param name="RegistrationId">The new registration.</param>
public sealed record FotaReregistered(string Endpoint, string UpdateId, DateTimeOffset Time, string RegistrationId) : FirmwareUpdateEvent(Endpoint, UpdateId, Time);

/// <summary>Update Result 1: the new firmware runs.</summary>
/// <param name="Endpoint">The device's endpoint name.</param>
/// <param name="UpdateId">The update's id.</param>
/// <param name="Time">When.</param>
/// <param name="FirmwareVersion">/3/0/3 read after the update, when the device answered.</param>
public sealed record FotaSucceeded(string Endpoint, string UpdateId, DateTimeOffset Time, string? FirmwareVersion) : FirmwareUpdateEvent(Endpoint, UpdateId, Time);

/// <summary>The update failed: the device reported a failing Update Result, refused an operation, or the update timed out.</summary>
/// <param name="Endpoint">The device's endpoint name.</param>
/// <param name="UpdateId">The update's id.</param>
/// <param name="Time">When.</param>
/// <param name="Result">The device's Update Result, when the failure came from it; null for a refused operation or a timeout.</param>
/// <param name="ResultName">The name of <paramref name="Result"/> (see <see cref="FirmwareUpdateResultNames"/>), or null.</param>
/// <param name="Reason">What happened, in words.</param>
public sealed record FotaFailed(string Endpoint, string UpdateId, DateTimeOffset Time, FirmwareUpdateResult? Result, string? ResultName, string Reason) : FirmwareUpdateEvent(Endpoint, UpdateId, Time);

/// <summary>The update was cancelled (/5/0/10 executed).</summary>
/// <param name="Endpoint">The device's endpoint name.</param>
/// <param name="UpdateId">The update's id.</param>
/// <param name="Time">When.</param>
public sealed record FotaCancelled(string Endpoint, string UpdateId, DateTimeOffset Time) : FirmwareUpdateEvent(Endpoint, UpdateId, Time);
