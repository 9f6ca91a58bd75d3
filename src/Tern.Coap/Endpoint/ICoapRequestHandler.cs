namespace Tern.Coap.Endpoint;

/// <summary>The server side of a <see cref="CoapEndpoint"/>: answers incoming requests.</summary>
public interface ICoapRequestHandler
{
    /// <summary>
    /// Handles one request. Return the response (null means 4.04 Not Found). The endpoint answers piggybacked when
    /// this is quick and separately when it takes longer than <see cref="Engine.CoapEngineOptions.SeparateResponseDelay"/>.
    /// An exception becomes 5.00. <paramref name="cancellationToken"/> fires at the handler timeout or on shutdown.
    /// </summary>
    ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken);
}
