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
    /// <summary>The most paths or records one composite request may name.</summary>
    public const int MaxCompositeEntries = 1024;

    internal sealed partial class ApiContext
    {
        /// <summary>Read-Composite when the body has <c>paths</c>, Write-Composite when it has <c>records</c>.</summary>
        public async Task<IResult> CompositeAsync(string endpoint, HttpContext http)
        {
            if (!RequestOptions.TryParseTimeout(http.Request.Query["timeout"], out TimeSpan? timeout, out string error)
                || !RequestOptions.TryParseFormat(http.Request.Query["format"], Formats, out ushort? format, out error))
            {
                return Problems.BadRequest(error);
            }
            byte[]? bytes = await ReadBytesAsync(http).ConfigureAwait(false);
            CompositeDto? body;
            try
            {
                body = bytes is { Length: > 0 } ? JsonSerializer.Deserialize(bytes, RestJson.Context.CompositeDto) : null;
            }
            catch (JsonException e)
            {
                return Problems.BadRequest($"The body is not a composite request: {e.Message}");
            }
            if (body is null || (body.Paths is null) == (body.Records is null))
            {
                return Problems.BadRequest("Send either {\"paths\":[...]} to read or {\"records\":[{\"path\":...,\"type\":...,\"value\":...}]} to write.");
            }
            return body.Paths is not null
                ? await ReadCompositeAsync(endpoint, body.Paths, format, timeout, http).ConfigureAwait(false)
                : await WriteCompositeAsync(endpoint, body.Records!, format, timeout, http).ConfigureAwait(false);
        }

        private async Task<IResult> ReadCompositeAsync(string endpoint, List<string> texts, ushort? format, TimeSpan? timeout, HttpContext http)
        {
            if (texts.Count is 0 or > MaxCompositeEntries)
            {
                return Problems.BadRequest($"Name from 1 to {MaxCompositeEntries} paths.");
            }
            var paths = new List<Lwm2mPath>(texts.Count);
            foreach (string text in texts)
            {
                if (!RequestOptions.TryParsePath(text, out Lwm2mPath path, out string error))
                {
                    return Problems.BadRequest(error);
                }
                if (path.IsRoot)
                {
                    return Problems.BadRequest("A composite read cannot name the root path.");
                }
                paths.Add(path);
            }
            CompositeReadResult result = await Server.ReadCompositeAsync(endpoint, paths, format, timeout, http.RequestAborted).ConfigureAwait(false);
            return result.IsSuccess
                ? Results.Json(new CompositeDto { Records = result.Records.Select(RecordDto.From).ToList() }, RestJson.Context.CompositeDto)
                : ResultMapping.Failure(result, endpoint, "Read-Composite");
        }

        private async Task<IResult> WriteCompositeAsync(string endpoint, List<RecordDto> dtos, ushort? format, TimeSpan? timeout, HttpContext http)
        {
            if (dtos.Count is 0 or > MaxCompositeEntries)
            {
                return Problems.BadRequest($"Give from 1 to {MaxCompositeEntries} records.");
            }
            var records = new List<Lwm2mRecord>(dtos.Count);
            foreach (RecordDto dto in dtos)
            {
                if (dto is null)
                {
                    return Problems.BadRequest("A record is null.");
                }
                if (!dto.TryToRecord(out Lwm2mRecord? record, out string error))
                {
                    return Problems.BadRequest(error);
                }
                records.Add(record!);
            }
            Lwm2mResult result = await Server.WriteCompositeAsync(endpoint, records, format, timeout, http.RequestAborted).ConfigureAwait(false);
            return result.IsSuccess ? Results.NoContent() : ResultMapping.Failure(result, endpoint, "Write-Composite");
        }

        private void OnDataReceived(object? sender, SendEventArgs e) =>
            Events.Publish(new ServerEvent(EventNames.Send, JsonSerializer.Serialize(
                new SendDto { Endpoint = e.Registration.Endpoint, Records = e.Records.Select(RecordDto.From).ToList() }, RestJson.Context.SendDto)));
    }
}
