using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Tern.Lwm2m.Server.Firmware;
using Tern.Lwm2m.Server.Rest.Http;
using Tern.Lwm2m.Server.Rest.Json;

namespace Tern.Lwm2m.Server.Rest;

public static partial class TernServerApi
{
    /// <summary>The largest firmware image <c>POST /api/clients/{endpoint}/firmware</c> accepts (16 MiB).</summary>
    public const int MaxFirmwareBytes = 16 << 20;

    internal sealed partial class ApiContext
    {
        /// <summary>
        /// <c>POST /api/clients/{endpoint}/firmware?method=push|pull&amp;protocol=coap|http&amp;autoUpdate=true|false</c>
        /// with the image as the raw body: 202 with the update's status; 400 for bad input, 404 for an unknown endpoint,
        /// 409 when the client has no object 5 or is already being updated, 413 beyond <see cref="MaxFirmwareBytes"/>.
        /// </summary>
        public async Task<IResult> StartFirmwareAsync(string endpoint, HttpContext http)
        {
            IQueryCollection query = http.Request.Query;
            string method = query["method"].ToString();
            string protocol = query["protocol"].ToString();
            if (method is not ("" or "push" or "pull"))
            {
                return Problems.BadRequest($"'{method}' is not a delivery method; use method=push or method=pull.");
            }

            FirmwareDelivery delivery = method == "push" ? FirmwareDelivery.Push : FirmwareDelivery.Pull;
            if (protocol is not ("" or "coap" or "http"))
            {
                return Problems.BadRequest($"'{protocol}' is not a pull protocol this server serves; use protocol=coap or protocol=http.");
            }

            if (delivery == FirmwareDelivery.Push && protocol.Length > 0)
            {
                return Problems.BadRequest("protocol applies to method=pull only; a push writes the image to /5/0/0 itself.");
            }

            bool autoUpdate = true;
            if (query.TryGetValue("autoUpdate", out var autoText) && !bool.TryParse(autoText, out autoUpdate))
            {
                return Problems.BadRequest($"'{autoText}' is not true or false (autoUpdate).");
            }

            if (http.Request.ContentLength > MaxFirmwareBytes)
            {
                return TooLarge();
            }

            byte[]? image = await ReadBodyAsync(http.Request.Body, http.RequestAborted).ConfigureAwait(false);
            if (image is null)
            {
                return TooLarge();
            }

            if (image.Length == 0)
            {
                return Problems.BadRequest("The firmware image (the request body) is empty.");
            }

            var request = new FirmwareUpdateRequest(image, delivery) { AutoUpdate = autoUpdate };
            FirmwareImage? served = null;
            if (delivery == FirmwareDelivery.Pull && protocol == "http")
            {
                served = Server.FirmwareImages.Add(image);
                var uri = new Uri($"{http.Request.Scheme}://{http.Request.Host}/{FirmwareImageLibrary.PathSegment}/{served.Id}");
                request = new FirmwareUpdateRequest(image, delivery) { AutoUpdate = autoUpdate, ImageId = served.Id, PackageUri = uri };
            }

            FirmwareUpdateOutcome outcome = await Server.Firmware.StartAsync(endpoint, request, http.RequestAborted).ConfigureAwait(false);
            if (!outcome.IsSuccess)
            {
                if (served is not null)
                {
                    Server.FirmwareImages.Remove(served.Id);
                }

                return Refusal(outcome, endpoint);
            }

            return Results.Json(FirmwareStatusDto.From(outcome.Status!), RestJson.Context.FirmwareStatusDto, statusCode: StatusCodes.Status202Accepted);
        }

        /// <summary><c>GET /api/clients/{endpoint}/firmware</c>: the running update, else the last one; 404 when there was none.</summary>
        public IResult GetFirmwareAsync(string endpoint) =>
            Server.Firmware.GetStatus(endpoint) is { } status
                ? Results.Json(FirmwareStatusDto.From(status), RestJson.Context.FirmwareStatusDto)
                : Problems.NotFound("No firmware update", $"No firmware update of '{endpoint}' has been started.");

        /// <summary><c>DELETE /api/clients/{endpoint}/firmware</c>: cancels through /5/0/10; 409 when the client cannot cancel.</summary>
        public async Task<IResult> CancelFirmwareAsync(string endpoint, HttpContext http)
        {
            FirmwareUpdateOutcome outcome = await Server.Firmware.CancelAsync(endpoint, http.RequestAborted).ConfigureAwait(false);
            return outcome.IsSuccess ? Results.Json(FirmwareStatusDto.From(outcome.Status!), RestJson.Context.FirmwareStatusDto) : Refusal(outcome, endpoint);
        }

        /// <summary><c>POST /api/clients/{endpoint}/firmware/update</c>: executes Update for an update started with autoUpdate=false.</summary>
        public async Task<IResult> ExecuteFirmwareUpdateAsync(string endpoint, HttpContext http)
        {
            FirmwareUpdateOutcome outcome = await Server.Firmware.ExecuteUpdateAsync(endpoint, http.RequestAborted).ConfigureAwait(false);
            return outcome.IsSuccess ? Results.Json(FirmwareStatusDto.From(outcome.Status!), RestJson.Context.FirmwareStatusDto) : Refusal(outcome, endpoint);
        }

        /// <summary><c>GET /fw/{id}</c>: the image as application/octet-stream, with Range (206) and an ETag; 404 for an unknown id.</summary>
        public IResult ServeFirmwareImage(string id) =>
            Server.FirmwareImages.TryGet(id, out FirmwareImage? image)
                ? Results.Bytes(image.Content, "application/octet-stream", enableRangeProcessing: true, entityTag: new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(image.ETag.Span)}\""))
                : Problems.NotFound("Unknown firmware image", $"No firmware image has the id '{id}'.");

        private static IResult Refusal(FirmwareUpdateOutcome outcome, string endpoint) => outcome.Error switch
        {
            FirmwareUpdateError.NotRegistered => Problems.UnknownEndpoint(endpoint),
            FirmwareUpdateError.EmptyImage or FirmwareUpdateError.UnknownImage => Problems.BadRequest(outcome.Message!),
            FirmwareUpdateError.NoUpdate => Problems.NotFound("No firmware update", outcome.Message!),
            _ => Results.Problem(detail: outcome.Message, statusCode: StatusCodes.Status409Conflict, title: "Firmware update refused",
                extensions: new Dictionary<string, object?> { ["reason"] = outcome.Error.ToString() }),
        };

        private static IResult TooLarge() =>
            Results.Problem(detail: $"The firmware image is larger than {MaxFirmwareBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Image too large");

        /// <summary>Reads the body up to <see cref="MaxFirmwareBytes"/>; null when it is longer.</summary>
        private static async Task<byte[]?> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
        {
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxFirmwareBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
