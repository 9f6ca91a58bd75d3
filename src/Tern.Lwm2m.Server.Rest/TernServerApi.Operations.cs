using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Rest.Http;
using Tern.Lwm2m.Server.Rest.Json;

namespace Tern.Lwm2m.Server.Rest;

public static partial class TernServerApi
{
    /// <summary>The largest request body the API reads (a write of a whole object fits easily).</summary>
    public const int MaxBodyBytes = 1 << 20;

    internal sealed partial class ApiContext
    {
        private const string Discover = "discover";
        private const string Attributes = "attributes";
        private const string Observe = "observe";

        public async Task<IResult> GetAsync(string endpoint, string? path, HttpContext http)
        {
            if (!TryTarget(path, http, out Lwm2mPath target, out string? suffix, out TimeSpan? timeout, out IResult? problem))
            {
                return problem;
            }
            switch (suffix)
            {
                case null:
                    if (!RequestOptions.TryParseFormat(http.Request.Query["format"], Formats, out ushort? format, out string error))
                    {
                        return Problems.BadRequest(error);
                    }
                    ReadResult read = await Server.ReadAsync(endpoint, target, format, timeout, http.RequestAborted).ConfigureAwait(false);
                    if (!read.IsSuccess || read.Node is null)
                    {
                        return ResultMapping.Failure(read, endpoint, $"Read of {target}");
                    }
                    return Results.Json(NodeJson.ToDto(read.Node, target), RestJson.Context.NodeDto);
                case Discover:
                    int? depth = null;
                    if (http.Request.Query.TryGetValue("depth", out var depthText))
                    {
                        if (!int.TryParse(depthText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int d) || d > 3)
                        {
                            return Problems.BadRequest($"'{depthText}' is not a Discover depth; use 0 to 3.");
                        }
                        depth = d;
                    }
                    DiscoverResult discover = await Server.DiscoverAsync(endpoint, target, depth, timeout, http.RequestAborted).ConfigureAwait(false);
                    return discover.IsSuccess
                        ? Results.Json(discover.Links.Select(LinkDto.From).ToList(), RestJson.Context.ListLinkDto)
                        : ResultMapping.Failure(discover, endpoint, $"Discover of {target}");
                default:
                    return WrongMethod("GET", suffix);
            }
        }

        public async Task<IResult> PutAsync(string endpoint, string? path, HttpContext http)
        {
            if (!TryTarget(path, http, out Lwm2mPath target, out string? suffix, out TimeSpan? timeout, out IResult? problem))
            {
                return problem;
            }
            if (suffix == Attributes)
            {
                string query = string.Join('&', http.Request.Query
                    .Where(q => q.Key != "timeout")
                    .SelectMany(q => q.Value.Select(v => string.IsNullOrEmpty(v) ? q.Key : $"{q.Key}={v}")));
                Lwm2mCodecResult<Lwm2mAttributes> attributes = Lwm2mAttributes.ParseQuery(query);
                if (!attributes.IsSuccess)
                {
                    return Problems.BadRequest($"The attributes '{query}' are not valid: {attributes.Error!.Message}");
                }
                Lwm2mResult written = await Server.WriteAttributesAsync(endpoint, target, attributes.Value!, timeout, http.RequestAborted).ConfigureAwait(false);
                return written.IsSuccess ? Results.NoContent() : ResultMapping.Failure(written, endpoint, $"Write-Attributes on {target}");
            }
            if (suffix is not null)
            {
                return WrongMethod("PUT", suffix);
            }
            if (!RequestOptions.TryParseFormat(http.Request.Query["format"], Formats, out ushort? format, out string error))
            {
                return Problems.BadRequest(error);
            }
            Lwm2mWriteMode mode = Lwm2mWriteMode.Replace;
            if (http.Request.Query.TryGetValue("replace", out var replaceText))
            {
                if (!bool.TryParse(replaceText, out bool replace))
                {
                    return Problems.BadRequest($"'{replaceText}' is not a value for 'replace'; use true or false.");
                }
                mode = replace ? Lwm2mWriteMode.Replace : Lwm2mWriteMode.PartialUpdate;
            }
            (NodeDto? body, IResult? bodyProblem) = await ReadBodyAsync(http).ConfigureAwait(false);
            if (body is null)
            {
                return bodyProblem!;
            }
            if (!NodeJson.TryToNode(body, target, out Lwm2mNode? node, out error))
            {
                return Problems.BadRequest(error);
            }
            Lwm2mResult result = await Server.WriteAsync(endpoint, target, node!, mode, format, timeout, http.RequestAborted).ConfigureAwait(false);
            return result.IsSuccess ? Results.NoContent() : ResultMapping.Failure(result, endpoint, $"Write of {target}");
        }

        public async Task<IResult> PostAsync(string endpoint, string? path, HttpContext http)
        {
            if (!TryTarget(path, http, out Lwm2mPath target, out string? suffix, out TimeSpan? timeout, out IResult? problem))
            {
                return problem;
            }
            if (suffix == Observe)
            {
                return await StartObservationAsync(endpoint, target, timeout, http).ConfigureAwait(false);
            }
            if (suffix is not null)
            {
                return WrongMethod("POST", suffix);
            }
            switch (target.Level)
            {
                case Lwm2mPathLevel.Resource:
                    string? arguments = await ReadTextAsync(http).ConfigureAwait(false);
                    if (arguments is null)
                    {
                        return Problems.BadRequest($"The Execute arguments are longer than {MaxBodyBytes} bytes.");
                    }
                    Lwm2mResult executed = await Server.ExecuteAsync(endpoint, target, arguments.Length == 0 ? null : arguments, timeout, http.RequestAborted).ConfigureAwait(false);
                    return executed.IsSuccess ? Results.NoContent() : ResultMapping.Failure(executed, endpoint, $"Execute of {target}");
                case Lwm2mPathLevel.Object:
                    if (!RequestOptions.TryParseFormat(http.Request.Query["format"], Formats, out ushort? format, out string error))
                    {
                        return Problems.BadRequest(error);
                    }
                    (NodeDto? body, IResult? bodyProblem) = await ReadBodyAsync(http).ConfigureAwait(false);
                    if (body is null)
                    {
                        return bodyProblem!;
                    }
                    if (body.Id is not { } id || id < 0 || id > Lwm2mPath.MaxId)
                    {
                        return Problems.BadRequest($"Create on {target} needs the new instance's 'id' (0 to {Lwm2mPath.MaxId}).");
                    }
                    Lwm2mPath instancePath = target.Append(id);
                    if (!NodeJson.TryToNode(body, instancePath, out Lwm2mNode? node, out error))
                    {
                        return Problems.BadRequest(error);
                    }
                    Lwm2mResult created = await Server.CreateAsync(endpoint, target, (Lwm2mObjectInstance)node!, format, timeout, http.RequestAborted).ConfigureAwait(false);
                    return created.IsSuccess
                        ? Results.Created($"/api/clients/{Uri.EscapeDataString(endpoint)}{instancePath}", null)
                        : ResultMapping.Failure(created, endpoint, $"Create on {target}");
                default:
                    return Problems.BadRequest($"POST executes a resource (/o/i/r) or creates an instance in an object (/o); {target} is neither. Use PUT with ?replace=false for a partial write.");
            }
        }

        public async Task<IResult> DeleteAsync(string endpoint, string? path, HttpContext http)
        {
            if (!TryTarget(path, http, out Lwm2mPath target, out string? suffix, out TimeSpan? timeout, out IResult? problem))
            {
                return problem;
            }
            if (suffix == Observe)
            {
                return await CancelObservationsAsync(endpoint, target, http).ConfigureAwait(false);
            }
            if (suffix is not null)
            {
                return WrongMethod("DELETE", suffix);
            }
            if (target.IsRoot)
            {
                return Problems.BadRequest("Delete needs an object instance or resource instance path; the whole client cannot be deleted.");
            }
            Lwm2mResult deleted = await Server.DeleteAsync(endpoint, target, timeout, http.RequestAborted).ConfigureAwait(false);
            return deleted.IsSuccess ? Results.NoContent() : ResultMapping.Failure(deleted, endpoint, $"Delete of {target}");
        }

        /// <summary>Splits the catch-all path into the LwM2M path and an optional operation suffix, and reads the timeout.</summary>
        private static bool TryTarget(string? raw, HttpContext http, out Lwm2mPath path, out string? suffix,
            out TimeSpan? timeout, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out IResult? problem)
        {
            string text = (raw ?? "").TrimEnd('/');
            suffix = null;
            int slash = text.LastIndexOf('/');
            string last = slash < 0 ? text : text[(slash + 1)..];
            if (last is Discover or Attributes or Observe)
            {
                suffix = last;
                text = slash < 0 ? "" : text[..slash];
            }
            path = default;
            problem = null;
            if (!RequestOptions.TryParseTimeout(http.Request.Query["timeout"], out timeout, out string error)
                || !RequestOptions.TryParsePath(text, out path, out error))
            {
                problem = Problems.BadRequest(error);
                return false;
            }
            return true;
        }

        private static IResult WrongMethod(string method, string suffix) => Results.Problem(
            detail: $"{method} is not defined on '/{suffix}'; use GET for discover, PUT for attributes, POST and DELETE for observe.",
            statusCode: StatusCodes.Status405MethodNotAllowed,
            title: "Method not allowed");

        private static async Task<(NodeDto? Body, IResult? Problem)> ReadBodyAsync(HttpContext http)
        {
            byte[]? bytes = await ReadBytesAsync(http).ConfigureAwait(false);
            if (bytes is null)
            {
                return (null, Problems.BadRequest($"The body is longer than {MaxBodyBytes} bytes."));
            }
            if (bytes.Length == 0)
            {
                return (null, Problems.BadRequest("The body is empty; send the node as JSON, e.g. {\"type\":\"Integer\",\"value\":100}."));
            }
            try
            {
                NodeDto? dto = JsonSerializer.Deserialize(bytes, RestJson.Context.NodeDto);
                return dto is null ? (null, Problems.BadRequest("The body is JSON null; send a node.")) : (dto, null);
            }
            catch (JsonException e)
            {
                return (null, Problems.BadRequest($"The body is not a valid node: {e.Message}"));
            }
        }

        private static async Task<string?> ReadTextAsync(HttpContext http)
        {
            byte[]? bytes = await ReadBytesAsync(http).ConfigureAwait(false);
            return bytes is null ? null : Encoding.UTF8.GetString(bytes);
        }

        /// <summary>Reads the body, or returns null when it exceeds <see cref="MaxBodyBytes"/>.</summary>
        private static async Task<byte[]?> ReadBytesAsync(HttpContext http)
        {
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[8192];
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
    }
}
