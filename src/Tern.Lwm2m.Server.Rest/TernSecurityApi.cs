using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tern.Lwm2m.Server.Rest.Http;
using Tern.Lwm2m.Server.Rest.Json;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Rest;

/// <summary>Maps CRUD for the LwM2M server's security entries (endpoint ↔ PSK identity and key, or certificate).</summary>
public static class TernSecurityApi
{
    /// <summary>The route of the LwM2M server's entries.</summary>
    public const string ServerRoute = "/api/security";

    /// <summary>The route of the bootstrap server's entries (the credentials clients bootstrap with).</summary>
    public const string BootstrapRoute = "/api/bootstrap-security";

    /// <summary>
    /// Maps <c>GET /api/security</c> (all entries, without keys) and <c>GET</c>, <c>PUT</c>, <c>DELETE</c> on
    /// <c>/api/security/{endpoint}</c> over <paramref name="store"/>. A PSK identity that already belongs to another
    /// endpoint is refused with 409.
    /// </summary>
    /// <returns>The route group holding the API.</returns>
    public static RouteGroupBuilder MapTernSecurityApi(this IEndpointRouteBuilder app, ISecurityStore store) => MapTernSecurityApi(app, store, ServerRoute);

    /// <summary>
    /// The same API over <paramref name="store"/> at <paramref name="route"/>, e.g. <see cref="BootstrapRoute"/> for the
    /// bootstrap server's entries.
    /// </summary>
    /// <returns>The route group holding the API.</returns>
    public static RouteGroupBuilder MapTernSecurityApi(this IEndpointRouteBuilder app, ISecurityStore store, string route)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(route);
        RouteGroupBuilder api = app.MapGroup(route);

        api.MapGet("/", () => Results.Json(store.GetAll().Select(SecurityDto.From).ToList(), RestJson.Context.ListSecurityDto));

        api.MapGet("/{endpoint}", (string endpoint) =>
            store.GetByEndpoint(endpoint) is { } info ? Results.Json(SecurityDto.From(info), RestJson.Context.SecurityDto) : NoEntry(endpoint));

        api.MapPut("/{endpoint}", async (string endpoint, HttpContext http) =>
        {
            SecurityDto? dto;
            try
            {
                dto = await JsonSerializer.DeserializeAsync(http.Request.Body, RestJson.Context.SecurityDto, http.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                return Problems.BadRequest($"The body is not a security entry: {e.Message}");
            }

            if (dto is null)
            {
                return Problems.BadRequest("The body is JSON null; send a security entry.");
            }

            if (!dto.TryToSecurityInfo(endpoint, out SecurityInfo? info, out string error))
            {
                return Problems.BadRequest(error);
            }

            return store.TryPut(info!, out string? conflict)
                ? Results.NoContent()
                : Results.Problem(detail: conflict, statusCode: StatusCodes.Status409Conflict, title: "PSK identity in use");
        });

        api.MapDelete("/{endpoint}", (string endpoint) => store.Remove(endpoint) ? Results.NoContent() : NoEntry(endpoint));
        return api;
    }

    private static IResult NoEntry(string endpoint) =>
        Problems.NotFound("No security entry", $"There is no security entry for endpoint '{endpoint}'.");
}
