using Microsoft.AspNetCore.Http;
using Tern.Coap.Messages;

namespace Tern.Lwm2m.Server.Rest.Http;

/// <summary>Maps the error code a client answered with onto the HTTP status the REST API returns.</summary>
public static class CoapStatusMapping
{
    /// <summary>
    /// The HTTP status for a client's CoAP error <paramref name="code"/>: 4.xx codes map onto the
    /// HTTP code with the same number where one exists (4.04 → 404, 4.05 → 405...), other 4.xx onto 400;
    /// a 5.xx from the device becomes 502, since the device, not this server, failed.
    /// </summary>
    public static int ToHttpStatus(CoapCode code) => code.Class switch
    {
        4 => code.Detail switch
        {
            1 => StatusCodes.Status401Unauthorized,
            3 => StatusCodes.Status403Forbidden,
            4 => StatusCodes.Status404NotFound,
            5 => StatusCodes.Status405MethodNotAllowed,
            6 => StatusCodes.Status406NotAcceptable,
            9 => StatusCodes.Status409Conflict,
            12 => StatusCodes.Status412PreconditionFailed,
            13 => StatusCodes.Status413PayloadTooLarge,
            15 => StatusCodes.Status415UnsupportedMediaType,
            _ => StatusCodes.Status400BadRequest,
        },
        5 => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status502BadGateway,
    };

    /// <summary>The dotted form of a CoAP code, e.g. <c>4.04</c>.</summary>
    public static string Format(CoapCode code) => $"{code.Class}.{code.Detail:D2}";
}
