using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Server.Bootstrap;
using Tern.Lwm2m.Server.Rest.Events;
using Tern.Lwm2m.Server.Rest.Http;
using Tern.Lwm2m.Server.Rest.Json;

namespace Tern.Lwm2m.Server.Rest;

/// <summary>Maps CRUD for bootstrap configurations onto an ASP.NET Core application.</summary>
public static class TernBootstrapApi
{
    /// <summary>
    /// Maps <c>GET /api/bootstrap</c> (all configurations) and <c>GET</c>, <c>PUT</c>, <c>DELETE</c>
    /// on <c>/api/bootstrap/{endpoint}</c> over <paramref name="store"/> (the bootstrap server's store). When the store is
    /// a <see cref="ProvisioningBootstrapStore"/>, a PUT whose credentials conflict with the LwM2M server's entry is
    /// refused with 409 and nothing is stored.
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
            if (store is ProvisioningBootstrapStore link)
            {
                BootstrapProvisioningResult provisioned = await link.TrySetAsync(endpoint, configuration!, http.RequestAborted).ConfigureAwait(false);
                return provisioned.Conflict is { } conflict
                    ? Results.Problem(detail: conflict, statusCode: StatusCodes.Status409Conflict, title: "Credentials conflict with the LwM2M server's security entry")
                    : Results.NoContent();
            }

            await store.SetAsync(endpoint, configuration!, http.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        });

        api.MapDelete("/{endpoint}", async (string endpoint, CancellationToken cancellationToken) =>
            await store.RemoveAsync(endpoint, cancellationToken).ConfigureAwait(false) ? Results.NoContent() : NoConfiguration(endpoint));
        return api;
    }

    /// <summary>
    /// Maps the configuration CRUD of <see cref="MapTernBootstrapApi(IEndpointRouteBuilder, IBootstrapConfigurationStore, Lwm2mContentFormatRegistry?)"/>
    /// over <paramref name="bootstrap"/>'s store, and makes its sessions visible: each finished session is published to
    /// <paramref name="events"/> as a <c>bootstrap</c> event, and <c>GET /api/bootstrap/{endpoint}/session</c> returns
    /// the last session of an endpoint (404 before the first).
    /// </summary>
    /// <returns>The route group holding the API.</returns>
    public static RouteGroupBuilder MapTernBootstrapApi(this IEndpointRouteBuilder app, Lwm2mBootstrapServer bootstrap, ServerEventHub events, Lwm2mContentFormatRegistry? formats = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(events);
        RouteGroupBuilder api = app.MapTernBootstrapApi(bootstrap.Store, formats);
        var sessions = new ConcurrentDictionary<string, BootstrapSessionDto>(StringComparer.Ordinal);
        void OnSessionEnded(object? sender, BootstrapSessionEventArgs e)
        {
            BootstrapSessionDto dto = BootstrapSessionDto.From(e);
            sessions[e.Endpoint] = dto;
            events.Publish(new ServerEvent(TernServerApi.EventNames.Bootstrap, JsonSerializer.Serialize(dto, RestJson.Context.BootstrapSessionDto)));
        }

        bootstrap.SessionEnded += OnSessionEnded;
        app.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(() => bootstrap.SessionEnded -= OnSessionEnded);
        api.MapGet("/{endpoint}/session", (string endpoint) =>
            sessions.TryGetValue(endpoint, out BootstrapSessionDto? session)
                ? Results.Json(session, RestJson.Context.BootstrapSessionDto)
                : Problems.NotFound("No bootstrap session", $"Endpoint '{endpoint}' has not been bootstrapped since the server started."));
        return api;
    }

    private static IResult NoConfiguration(string endpoint) =>
        Problems.NotFound("No bootstrap configuration", $"There is no bootstrap configuration for endpoint '{endpoint}'.");
}
