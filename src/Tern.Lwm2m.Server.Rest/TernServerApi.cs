using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Server.Firmware;
using Tern.Lwm2m.Server.Registrations;
using Tern.Lwm2m.Server.Rest.Events;
using Tern.Lwm2m.Server.Rest.Http;
using Tern.Lwm2m.Server.Rest.Json;

namespace Tern.Lwm2m.Server.Rest;

/// <summary>Maps the Tern REST API (in the style of Leshan's demo server) onto an ASP.NET Core application.</summary>
public static partial class TernServerApi
{
    /// <summary>
    /// Maps <c>/api/clients</c>, <c>/api/clients/{endpoint}</c>, the operations on
    /// <c>/api/clients/{endpoint}/{path}</c>, firmware updates on <c>/api/clients/{endpoint}/firmware</c> (with the
    /// images served at <c>/fw/{id}</c>, Range supported) and the event stream <c>/api/events</c> for <paramref name="server"/>.
    /// Registration events of the server are published to <paramref name="events"/> (a new hub when null)
    /// for as long as the application runs.
    /// </summary>
    /// <returns>The route group holding the API, for further conventions.</returns>
    public static RouteGroupBuilder MapTernServerApi(this IEndpointRouteBuilder app, Lwm2mServer server, ServerEventHub? events = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(server);
        var context = new ApiContext(server, events ?? new ServerEventHub(), server.Options.Formats ?? Lwm2mContentFormatRegistry.Default);
        context.AttachEvents();
        app.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(context.DetachEvents);

        RouteGroupBuilder api = app.MapGroup("/api");
        // The server refuses requests it cannot carry out (a node that does not encode in the asked format, a format
        // without records for a composite write...) with ArgumentException and a message: that is the caller's 400.
        api.AddEndpointFilter(async (invocation, next) =>
        {
            try
            {
                return await next(invocation).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                return Problems.BadRequest(e.Message);
            }
        });
        api.MapGet("/clients", context.ListClientsAsync);
        api.MapGet("/clients/{endpoint}", context.GetClientAsync);
        api.MapPost("/clients/{endpoint}/composite", context.CompositeAsync);
        api.MapPost("/clients/{endpoint}/composite/observe", context.ObserveCompositeAsync);
        api.MapDelete("/clients/{endpoint}/composite/observe", context.CancelObserveCompositeAsync);
        api.MapPost("/clients/{endpoint}/firmware", context.StartFirmwareAsync);
        api.MapGet("/clients/{endpoint}/firmware", context.GetFirmwareAsync);
        api.MapDelete("/clients/{endpoint}/firmware", context.CancelFirmwareAsync);
        api.MapPost("/clients/{endpoint}/firmware/update", context.ExecuteFirmwareUpdateAsync);
        app.MapGet($"/{FirmwareImageLibrary.PathSegment}/{{id}}", context.ServeFirmwareImage);
        api.MapGet("/clients/{endpoint}/{**path}", context.GetAsync);
        api.MapPut("/clients/{endpoint}/{**path}", context.PutAsync);
        api.MapPost("/clients/{endpoint}/{**path}", context.PostAsync);
        api.MapDelete("/clients/{endpoint}/{**path}", context.DeleteAsync);
        api.MapGet("/events", context.StreamEventsAsync);
        return api;
    }

    /// <summary>The state the route handlers share.</summary>
    internal sealed partial class ApiContext(Lwm2mServer server, ServerEventHub events, Lwm2mContentFormatRegistry formats)
    {
        public Lwm2mServer Server { get; } = server;

        public ServerEventHub Events { get; } = events;

        public Lwm2mContentFormatRegistry Formats { get; } = formats;

        public async Task<IResult> ListClientsAsync(CancellationToken cancellationToken)
        {
            IReadOnlyList<Registration> all = await Server.GetRegistrationsAsync(cancellationToken).ConfigureAwait(false);
            List<ClientDto> clients = all.OrderBy(r => r.Endpoint, StringComparer.Ordinal).Select(ClientDto.From).ToList();
            return Results.Json(clients, RestJson.Context.ListClientDto);
        }

        public async Task<IResult> GetClientAsync(string endpoint, HttpContext http)
        {
            Registration? registration = await Server.GetRegistrationAsync(endpoint, http.RequestAborted).ConfigureAwait(false);
            return registration is null
                ? Problems.UnknownEndpoint(endpoint)
                : Results.Json(ClientDto.From(registration), RestJson.Context.ClientDto);
        }
    }
}
