using Microsoft.AspNetCore.Http;

namespace Tern.Lwm2m.Server.Rest.Http;

/// <summary>RFC 7807 problem-details responses the REST API returns.</summary>
internal static class Problems
{
    public static IResult BadRequest(string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static IResult UnknownEndpoint(string endpoint) =>
        Results.Problem(detail: $"No client is registered with endpoint name '{endpoint}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown endpoint");

    public static IResult NotFound(string title, string detail) =>
        Results.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: title);
}
