namespace Tern.Lwm2m.Client.DataModel;

/// <summary>
/// The outcome an application handler gives an operation. The dispatcher answers with the CoAP code the LwM2M TS
/// names for it: <see cref="Ok"/> becomes the operation's success code (2.01, 2.02, 2.04 or 2.05).
/// </summary>
public enum Lwm2mStatus
{
    /// <summary>Done; the operation's success code.</summary>
    Ok = 0,

    /// <summary>4.00 Bad Request: the value or the arguments are not acceptable (a validation refusal).</summary>
    BadRequest,

    /// <summary>4.01 Unauthorized.</summary>
    Unauthorized,

    /// <summary>4.04 Not Found.</summary>
    NotFound,

    /// <summary>4.05 Method Not Allowed.</summary>
    MethodNotAllowed,

    /// <summary>5.00 Internal Server Error.</summary>
    InternalError,

    /// <summary>5.03 Service Unavailable: try later.</summary>
    ServiceUnavailable,
}
