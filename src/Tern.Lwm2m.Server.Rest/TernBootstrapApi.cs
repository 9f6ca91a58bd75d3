using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Server.Bootstrap;
using Tern.Lwm2m.Server.Rest.Http;
using Tern.Lwm2m.Server.Rest.Json;

namespace Tern.Lwm2m.Server.Rest;

/// <summary>Maps CRUD for bootstrap configurations onto an ASP.NET Core application.</summary>
public static class TernBootstrapApi
{
    /// <summary>
    /// Maps <c>GET /api/bootstrap</c> (all configurations) and <c>GET</c>, <c>PUT</c>, <c>DELETE</c>
    /// on <c>/api/bootstrap/{endpoint}</c> over <paramref name="store"/> (the bootstrap server's store).
    /// </summary>
    /// <returns>The route group holding the API.</returns>
    public static RouteGroupBuilder MapTernBootstrapApi(this IEndpointRouteBuilder app, IBootstrapConfigurationStore store, Lwm2mContentFormatRegistry? formats = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(store);
        formats ??= Lwm2mContentFormatRegistry.Default;
        RouteGroupBuilder api = app.MapGroup("/api/bootstrap");

        api.MapGet("/", async (CancellationToken cancellationToken) =>
        {
            IReadOnlyDictionary<string, BootstrapConfiguration> all = await store.GetAllAsync(cancellationToken).ConfigureAwait(false);
            var list = all.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => BootstrapConfigurationDto.From(kv.Key, kv.Value)).ToList();
            return Results.Json(list, RestJson.Context.ListBootstrapConfigurationDto);
        });

        api.MapGet("/{endpoint}", async (string endpoint, CancellationToken cancellationToken) =>
            await store.GetAsync(endpoint, cancellationToken).ConfigureAwait(false) is { } configuration
                ? Results.Json(BootstrapConfigurationDto.From(endpoint, configuration), RestJson.Context.BootstrapConfigurationDto)
                : NoConfiguration(endpoint));

        api.MapPut("/{endpoint}", async (string endpoint, HttpContext http) =>
        {
            BootstrapConfigurationDto? dto;
            try
            {
                dto = await JsonSerializer.DeserializeAsync(http.Request.Body, RestJson.Context.BootstrapConfigurationDto, http.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                return Problems.BadRequest($"The body is not a bootstrap configuration: {e.Message}");
            }
            if (dto is null)
            {
                return Problems.BadRequest("The body is JSON null; send a configuration.");
            }
            if (!dto.TryToConfiguration(formats, out BootstrapConfiguration? configuration, out string error))
            {
                return Problems.BadRequest(error);
            }
            await store.SetAsync(endpoint, configuration!, http.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        });

        api.MapDelete("/{endpoint}", async (string endpoint, CancellationToken cancellationToken) =>
            await store.RemoveAsync(endpoint, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : NoConfiguration(endpoint));
        return api;
    }

    private static IResult NoConfiguration(string endpoint) =>
        Problems.NotFound("No bootstrap configuration", $"There is no bootstrap configuration for endpoint '{endpoint}'.");
}
