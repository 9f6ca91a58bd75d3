using Tern.Coap.Messages;

namespace Tern.Coap.Endpoint;

/// <summary>Handles one request method of a <see cref="CoapResource"/>.</summary>
/// <param name="request">The request.</param>
/// <param name="cancellationToken">Fires at the handler timeout or on shutdown.</param>
public delegate ValueTask<CoapResponse> CoapMethodHandler(CoapRequestContext request, CancellationToken cancellationToken);

/// <summary>A resource of a <see cref="CoapResourceServer"/>: one delegate per method it supports (others get 4.05).</summary>
public class CoapResource
{
    /// <summary>Handles GET.</summary>
    public CoapMethodHandler? Get { get; init; }

    /// <summary>Handles PUT.</summary>
    public CoapMethodHandler? Put { get; init; }

    /// <summary>Handles POST.</summary>
    public CoapMethodHandler? Post { get; init; }

    /// <summary>Handles DELETE.</summary>
    public CoapMethodHandler? Delete { get; init; }

    /// <summary>Dispatches by method.</summary>
    public virtual ValueTask<CoapResponse> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        CoapCode method = request.Request.Code;
        CoapMethodHandler? handler = method == CoapCode.Get ? Get
            : method == CoapCode.Put ? Put
            : method == CoapCode.Post ? Post
            : method == CoapCode.Delete ? Delete
            : null;
        return handler is null
            ? ValueTask.FromResult(new CoapResponse(CoapCode.MethodNotAllowed))
            : handler(request, cancellationToken);
    }
}
