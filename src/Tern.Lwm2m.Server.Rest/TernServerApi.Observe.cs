using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Rest.Events;
using Tern.Lwm2m.Server.Rest.Http;
using Tern.Lwm2m.Server.Rest.Json;

namespace Tern.Lwm2m.Server.Rest;

public static partial class TernServerApi
{
    internal sealed partial class ApiContext
    {
        private async Task<IResult> StartObservationAsync(string endpoint, Lwm2mPath target, TimeSpan? timeout, HttpContext http)
        {
            if (!RequestOptions.TryParseFormat(http.Request.Query["format"], Formats, out ushort? format, out string error))
            {
                return Problems.BadRequest(error);
            }
            ObserveResult result = await Server.ObserveAsync(endpoint, target, format, timeout, http.RequestAborted).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                return ResultMapping.Failure(result, endpoint, $"Observe of {target}");
            }
            var dto = new ObservationDto
            {
                Path = target.ToString(),
                ObservationId = result.Observation?.Id,
                Active = result.Observation?.IsActive ?? false,
                Content = result.Node is null ? null : NodeJson.ToDto(result.Node, target),
            };
            return Results.Json(dto, RestJson.Context.ObservationDto);
        }

        private async Task<IResult> CancelObservationsAsync(string endpoint, Lwm2mPath target, HttpContext http)
        {
            if (await Server.GetRegistrationAsync(endpoint, http.RequestAborted).ConfigureAwait(false) is null)
            {
                return Problems.UnknownEndpoint(endpoint);
            }
            List<Lwm2mObservation> matching = Server.GetObservations(endpoint).Where(o => o.Path == target && !o.IsComposite).ToList();
            if (matching.Count == 0)
            {
                return Problems.NotFound("No observation", $"Client '{endpoint}' has no running observation of {target}.");
            }
            foreach (Lwm2mObservation observation in matching)
            {
                await observation.CancelAsync(active: true, http.RequestAborted).ConfigureAwait(false);
            }
            return Results.NoContent();
        }

        private void OnNotification(object? sender, Lwm2mNotificationEventArgs e)
        {
            Lwm2mObservation observation = e.Observation;
            var dto = new NotificationDto
            {
                Endpoint = observation.Endpoint,
                Path = observation.Path.ToString(),
                Paths = observation.IsComposite ? observation.Paths.Select(p => p.ToString()).ToList() : null,
                ObservationId = observation.Id,
                Content = e.Node is null ? null : NodeJson.ToDto(e.Node, observation.Path),
                Records = e.Records?.Select(RecordDto.From).ToList(),
                Error = e.Error,
            };
            Events.Publish(new ServerEvent(EventNames.Notification, JsonSerializer.Serialize(dto, RestJson.Context.NotificationDto)));
        }
    }
}
