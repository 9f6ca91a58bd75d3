using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Rest.Http;
using Tern.Lwm2m.Server.Rest.Json;

namespace Tern.Lwm2m.Server.Rest;

public static partial class TernServerApi
{
    internal sealed partial class ApiContext
    {
        /// <summary>Observe-Composite: <c>POST /api/clients/{endpoint}/composite/observe</c> with <c>{"paths":[...]}</c>.</summary>
        public async Task<IResult> ObserveCompositeAsync(string endpoint, HttpContext http)
        {
            if (!RequestOptions.TryParseTimeout(http.Request.Query["timeout"], out TimeSpan? timeout, out string error)
                || !RequestOptions.TryParseFormat(http.Request.Query["format"], Formats, out ushort? format, out error))
            {
                return Problems.BadRequest(error);
            }
            (List<Lwm2mPath>? paths, IResult? problem) = await ReadCompositePathsAsync(http).ConfigureAwait(false);
            if (paths is null)
            {
                return problem!;
            }
            CompositeObserveResult result = await Server.ObserveCompositeAsync(endpoint, paths, format, timeout, http.RequestAborted).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                return ResultMapping.Failure(result, endpoint, "Observe-Composite");
            }
            var dto = new ObservationDto
            {
                Path = Lwm2mPath.Root.ToString(),
                Paths = paths.Select(p => p.ToString()).ToList(),
                ObservationId = result.Observation?.Id,
                Active = result.Observation?.IsActive ?? false,
                Records = result.Records.Select(RecordDto.From).ToList(),
            };
            return Results.Json(dto, RestJson.Context.ObservationDto);
        }

        /// <summary>Cancel-Observe-Composite: <c>DELETE /api/clients/{endpoint}/composite/observe</c> with the same <c>{"paths":[...]}</c>.</summary>
        public async Task<IResult> CancelObserveCompositeAsync(string endpoint, HttpContext http)
        {
            (List<Lwm2mPath>? paths, IResult? problem) = await ReadCompositePathsAsync(http).ConfigureAwait(false);
            if (paths is null)
            {
                return problem!;
            }
            if (await Server.GetRegistrationAsync(endpoint, http.RequestAborted).ConfigureAwait(false) is null)
            {
                return Problems.UnknownEndpoint(endpoint);
            }
            int cancelled = await Server.CancelCompositeObservationsAsync(endpoint, paths, http.RequestAborted).ConfigureAwait(false);
            return cancelled > 0
                ? Results.NoContent()
                : Problems.NotFound("No observation", $"Client '{endpoint}' has no running composite observation of exactly {string.Join(", ", paths)}.");
        }

        private static async Task<(List<Lwm2mPath>? Paths, IResult? Problem)> ReadCompositePathsAsync(HttpContext http)
        {
            byte[]? bytes = await ReadBytesAsync(http).ConfigureAwait(false);
            if (bytes is null)
            {
                return (null, Problems.BadRequest($"The body is longer than {MaxBodyBytes} bytes."));
            }
            CompositeDto? body;
            try
            {
                body = bytes.Length > 0 ? JsonSerializer.Deserialize(bytes, RestJson.Context.CompositeDto) : null;
            }
            catch (JsonException e)
            {
                return (null, Problems.BadRequest($"The body is not a path list: {e.Message}"));
            }
            if (body?.Paths is not { } texts || body.Records is not null || texts.Count is 0 or > MaxCompositeEntries)
            {
                return (null, Problems.BadRequest($"Send {{\"paths\":[...]}} with 1 to {MaxCompositeEntries} paths, e.g. {{\"paths\":[\"/3/0/9\",\"/1/0/1\"]}}."));
            }
            var paths = new List<Lwm2mPath>(texts.Count);
            foreach (string text in texts)
            {
                if (!RequestOptions.TryParsePath(text, out Lwm2mPath path, out string error))
                {
                    return (null, Problems.BadRequest(error));
                }
                if (path.IsRoot)
                {
                    return (null, Problems.BadRequest("A composite observation cannot name the root path."));
                }
                paths.Add(path);
            }
            return (paths, null);
        }
    }
}
