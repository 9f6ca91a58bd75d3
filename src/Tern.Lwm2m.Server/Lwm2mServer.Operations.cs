using System.Text;
using Tern.Coap.Messages;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.LinkFormat;
using Tern.Lwm2m.Model;
using Tern.Lwm2m.Server.Operations;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server;

public sealed partial class Lwm2mServer
{
    /// <summary>Executes the resource at <paramref name="path"/> (POST), with optional arguments such as <c>0='v',1</c>.</summary>
    public async Task<Lwm2mResult> ExecuteAsync(string endpoint, Lwm2mPath path, string? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (path.Level != Lwm2mPathLevel.Resource)
        {
            throw new ArgumentException("Execute takes a resource path such as /3/0/4.", nameof(path));
        }

        Exchange exchange = await ExchangeAsync(endpoint, r =>
        {
            CoapMessage request = Request(CoapCode.Post, r, path);
            if (!string.IsNullOrEmpty(arguments))
            {
                request.Payload = Encoding.UTF8.GetBytes(arguments);
            }

            return request;
        }, timeout, cancellationToken).ConfigureAwait(false);
        return exchange.Failure ?? ToResult(exchange.Response!);
    }

    /// <summary>Deletes the object instance (or, in 1.1+, resource instance) at <paramref name="path"/>.</summary>
    public async Task<Lwm2mResult> DeleteAsync(string endpoint, Lwm2mPath path, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (path.IsRoot)
        {
            throw new ArgumentException("Delete needs a path; the whole client cannot be deleted.", nameof(path));
        }

        Exchange exchange = await ExchangeAsync(endpoint, r => Request(CoapCode.Delete, r, path), timeout, cancellationToken).ConfigureAwait(false);
        return exchange.Failure ?? ToResult(exchange.Response!);
    }

    /// <summary>
    /// Writes notification attributes (<c>pmin</c>, <c>pmax</c>, <c>gt</c>, ...) on <paramref name="path"/> (PUT with
    /// the attributes as query parameters; attributes listed in <see cref="Lwm2mAttributes.Unset"/> are cleared).
    /// </summary>
    public async Task<Lwm2mResult> WriteAttributesAsync(string endpoint, Lwm2mPath path, Lwm2mAttributes attributes, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Validate() is { } invalid)
        {
            throw new ArgumentException($"The attributes are not valid: {invalid.Message}", nameof(attributes));
        }

        Exchange exchange = await ExchangeAsync(endpoint, r =>
        {
            CoapMessage request = Request(CoapCode.Put, r, path);
            foreach (string query in attributes.ToQuery())
            {
                request.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, query));
            }

            return request;
        }, timeout, cancellationToken).ConfigureAwait(false);
        return exchange.Failure ?? ToResult(exchange.Response!);
    }

    /// <summary>
    /// Discovers what the client has below <paramref name="path"/> (GET with Accept link format), with the attributes
    /// attached. <paramref name="depth"/> (LwM2M 1.2) limits how many levels the answer covers.
    /// </summary>
    public async Task<DiscoverResult> DiscoverAsync(string endpoint, Lwm2mPath path, int? depth = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (depth is < 0 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, "The depth is 0 to 3.");
        }

        Exchange exchange = await ExchangeAsync(endpoint, r =>
        {
            CoapMessage request = Request(CoapCode.Get, r, path);
            request.AddOption(CoapOption.FromUInt(CoapOptionNumber.Accept, Lwm2mContentFormat.LinkFormat));
            if (depth is { } d)
            {
                request.AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, $"depth={d}"));
            }

            return request;
        }, timeout, cancellationToken).ConfigureAwait(false);
        if (exchange.Failure is { } failure)
        {
            return new DiscoverResult(failure.Status, failure.Code, failure.Diagnostic);
        }

        var response = exchange.Response!;
        if (!response.IsSuccess)
        {
            return new DiscoverResult(Lwm2mResultStatus.ErrorResponse, response.Code, Diagnostic(response));
        }

        Lwm2mCodecResult<IReadOnlyList<CoreLink>> links = CoreLinkFormat.Parse(response.Payload.Span);
        return links.IsSuccess
            ? new DiscoverResult(Lwm2mResultStatus.Success, response.Code, links: links.Value)
            : new DiscoverResult(Lwm2mResultStatus.InvalidResponse, response.Code, $"The Discover answer is not valid link format: {links.Error}");
    }

    private static CoapMessage ReadRequest(Registration registration, Lwm2mPath path, ushort accept)
    {
        CoapMessage request = Request(CoapCode.Get, registration, path);
        request.AddOption(CoapOption.FromUInt(CoapOptionNumber.Accept, accept));
        return request;
    }
}
