using System.Collections.Concurrent;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;

namespace CoapDemo;

/// <summary>The demo server's resources: a greeting, an in-memory store for PUT, and an observable counter.</summary>
internal sealed class DemoResources : ICoapRequestHandler
{
    private readonly ConcurrentDictionary<string, byte[]> _store = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<CoapObserver> _counterObserver = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a client starts observing /counter.</summary>
    public Task<CoapObserver> CounterObserver => _counterObserver.Task;

    public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
    {
        string path = request.Request.UriPath;
        CoapCode code = request.Request.Code;
        CoapResponse response = (path, code) switch
        {
            ("/hello", _) when code == CoapCode.Get => CoapResponse.Text(CoapCode.Content, "Hello from Tern"),
            ("/counter", _) when code == CoapCode.Get => ServeCounter(request),
            (_, _) when code == CoapCode.Put => Store(path, request.Request.Payload),
            (_, _) when code == CoapCode.Get && _store.TryGetValue(path, out byte[]? body) => new CoapResponse(CoapCode.Content, body) { ContentFormat = 0 },
            (_, _) when code == CoapCode.Get => new CoapResponse(CoapCode.NotFound),
            _ => new CoapResponse(CoapCode.MethodNotAllowed),
        };
        return ValueTask.FromResult<CoapResponse?>(response);
    }

    private CoapResponse ServeCounter(CoapRequestContext request)
    {
        if (request.IsObserveRegistration && request.AcceptObservation() is { } observer)
        {
            _counterObserver.TrySetResult(observer);
        }

        return CoapResponse.Text(CoapCode.Content, "0");
    }

    private CoapResponse Store(string path, ReadOnlyMemory<byte> body)
    {
        bool created = _store.TryAdd(path, body.ToArray());
        if (!created)
        {
            _store[path] = body.ToArray();
        }

        return new CoapResponse(created ? CoapCode.Created : CoapCode.Changed);
    }
}
