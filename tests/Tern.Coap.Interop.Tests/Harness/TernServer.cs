using System.Collections.Concurrent;
using System.Net;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Coap.Transport.Udp;

namespace Tern.Coap.Interop.Tests.Harness;

/// <summary>
/// A Tern CoAP server on 127.0.0.1 and a free port, serving an in-memory store: GET returns what is stored at the
/// path, PUT stores the body (2.01 Created, then 2.04 Changed), and GET with Observe=0 on any stored path registers
/// an observer the test can notify through <see cref="Observers"/>.
/// </summary>
public sealed class TernServer : IAsyncDisposable, ICoapRequestHandler
{
    private readonly ConcurrentDictionary<string, byte[]> _resources = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<CoapObserver> _firstObserver = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CoapEndpoint? _endpoint;

    /// <summary>Where the server listens.</summary>
    public CoapPeer EndPoint => _endpoint!.LocalEndPoint;

    /// <summary>A coap:// URI for <paramref name="path"/> on this server.</summary>
    public string Uri(string path) => $"coap://127.0.0.1:{EndPoint.EndPoint.Port}{path}";

    /// <summary>Completes with the first observer that registers.</summary>
    public Task<CoapObserver> FirstObserver => _firstObserver.Task;

    /// <summary>Starts the server.</summary>
    public static async Task<TernServer> StartAsync()
    {
        var server = new TernServer();
        UdpCoapTransport transport = await UdpCoapTransport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        server._endpoint = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions { Handler = server });
        return server;
    }

    /// <summary>Stores <paramref name="body"/> at <paramref name="path"/>.</summary>
    public void Put(string path, byte[] body) => _resources[path] = body;

    /// <summary>What is stored at <paramref name="path"/>, or null.</summary>
    public byte[]? Get(string path) => _resources.TryGetValue(path, out byte[]? body) ? body : null;

    /// <inheritdoc />
    public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken)
    {
        string path = request.Request.UriPath;
        CoapCode code = request.Request.Code;
        if (code == CoapCode.Get)
        {
            if (!_resources.TryGetValue(path, out byte[]? body))
            {
                return ValueTask.FromResult<CoapResponse?>(new CoapResponse(CoapCode.NotFound));
            }

            if (request.IsObserveRegistration && request.AcceptObservation() is { } observer)
            {
                _firstObserver.TrySetResult(observer);
            }

            return ValueTask.FromResult<CoapResponse?>(new CoapResponse(CoapCode.Content, body) { ContentFormat = 0 });
        }

        if (code == CoapCode.Put)
        {
            bool created = _resources.TryAdd(path, request.Request.Payload.ToArray());
            if (!created)
            {
                _resources[path] = request.Request.Payload.ToArray();
            }

            return ValueTask.FromResult<CoapResponse?>(new CoapResponse(created ? CoapCode.Created : CoapCode.Changed));
        }

        return ValueTask.FromResult<CoapResponse?>(new CoapResponse(CoapCode.MethodNotAllowed));
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.DisposeAsync();
        }
    }
}
