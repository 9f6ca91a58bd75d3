using Tern.Coap.Messages;

namespace Tern.Lwm2m.Client.Firmware;

/// <summary>How object 5 answered a write or execute; <see cref="FirmwareOperationStatusExtensions.ToCoapCode"/> maps it onto the wire.</summary>
public enum FirmwareOperationStatus
{
    /// <summary>Done (2.04 Changed).</summary>
    Changed,

    /// <summary>A package block was stored and more are expected (2.31 Continue).</summary>
    Continue,

    /// <summary>The value is malformed (4.00 Bad Request).</summary>
    BadRequest,

    /// <summary>Not allowed in the current state, e.g. Update outside Downloaded (4.05 Method Not Allowed).</summary>
    MethodNotAllowed,

    /// <summary>A package block arrived out of order (4.08 Request Entity Incomplete).</summary>
    Incomplete,

    /// <summary>The package exceeds the storage for it (4.13 Request Entity Too Large).</summary>
    TooLarge,

    /// <summary>Storage failed (5.00 Internal Server Error).</summary>
    InternalError,
}

/// <summary>Maps <see cref="FirmwareOperationStatus"/> to CoAP response codes.</summary>
public static class FirmwareOperationStatusExtensions
{
    /// <summary>The CoAP code the dispatcher answers with.</summary>
    public static CoapCode ToCoapCode(this FirmwareOperationStatus status) => status switch
    {
        FirmwareOperationStatus.Changed => CoapCode.Changed,
        FirmwareOperationStatus.Continue => CoapCode.Continue,
        FirmwareOperationStatus.BadRequest => CoapCode.BadRequest,
        FirmwareOperationStatus.MethodNotAllowed => CoapCode.MethodNotAllowed,
        FirmwareOperationStatus.Incomplete => CoapCode.RequestEntityIncomplete,
        FirmwareOperationStatus.TooLarge => CoapCode.RequestEntityTooLarge,
        _ => CoapCode.InternalServerError,
    };
}
