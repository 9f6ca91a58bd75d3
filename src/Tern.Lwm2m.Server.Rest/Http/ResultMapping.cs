using Microsoft.AspNetCore.Http;
using Tern.Lwm2m.Server.Operations;

namespace Tern.Lwm2m.Server.Rest.Http;

/// <summary>Turns a failed downlink operation into the problem-details response the REST API returns.</summary>
internal static class ResultMapping
{
    public static IResult Failure(Lwm2mResult result, string endpoint, string operation)
    {
        string suffix = string.IsNullOrEmpty(result.Diagnostic) ? "" : $" ({result.Diagnostic})";
        switch (result.Status)
        {
            case Lwm2mResultStatus.NotRegistered:
                return Problems.UnknownEndpoint(endpoint);
            case Lwm2mResultStatus.Timeout:
                return Results.Problem(
                    detail: $"Client '{endpoint}' did not answer the {operation} in time.",
                    statusCode: StatusCodes.Status504GatewayTimeout,
                    title: "Client did not answer");
            case Lwm2mResultStatus.ErrorResponse when result.Code is { } code:
                string coap = CoapStatusMapping.Format(code);
                return Results.Problem(
                    detail: $"Client '{endpoint}' answered the {operation} with {coap}{suffix}.",
                    statusCode: CoapStatusMapping.ToHttpStatus(code),
                    title: $"Client answered {coap}",
                    extensions: new Dictionary<string, object?> { ["coapCode"] = coap });
            case Lwm2mResultStatus.InvalidResponse:
                return Results.Problem(
                    detail: $"Client '{endpoint}' answered the {operation} with content this server could not decode{suffix}.",
                    statusCode: StatusCodes.Status502BadGateway,
                    title: "Invalid response from client");
            default:
                return Results.Problem(
                    detail: $"The {operation} on client '{endpoint}' failed below LwM2M{suffix}.",
                    statusCode: StatusCodes.Status502BadGateway,
                    title: "Exchange failed");
        }
    }
}
