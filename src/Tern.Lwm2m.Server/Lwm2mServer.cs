using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tern.Coap.Endpoint;
using Tern.Coap.Transport;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server;

/// <summary>
/// An embedded LwM2M server: serves the registration interface (Register, Update, De-register) on its CoAP
/// endpoint, expires registrations whose lifetime ran out, and sends downlink operations to registered clients.
/// Start it with <see cref="StartAsync"/>; dispose it to close the endpoint.
/// </summary>
public sealed partial class Lwm2mServer : IAsyncDisposable
{
    private readonly CoapEndpoint _endpoint;
    private readonly Lwm2mServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly IObjectDefinitionProvider _objects;
    private readonly Lwm2mContentFormatRegistry _formats;

    private Lwm2mServer(CoapEndpoint endpoint, Lwm2mServerOptions options, TimeProvider time, ILoggerFactory loggers, RequestHandler handler)
    {
        _endpoint = endpoint;
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger<Lwm2mServer>();
        _random = options.Random ?? Random.Shared;
        Store = options.Store ?? new InMemoryRegistrationStore();
        _objects = options.Objects ?? new ObjectDefinitionRegistry();
        _formats = options.Formats ?? Lwm2mContentFormatRegistry.Default;
        handler.Server = this;
    }

    /// <summary>A client registered (a re-registration of a known endpoint carries the replaced registration as <see cref="RegistrationEventArgs.Previous"/>).</summary>
    public event EventHandler<RegistrationEventArgs>? Registered;

    /// <summary>A client updated its registration.</summary>
    public event EventHandler<RegistrationEventArgs>? Updated;

    /// <summary>A client de-registered.</summary>
    public event EventHandler<RegistrationEventArgs>? Deregistered;

    /// <summary>A registration's lifetime ran out without an Update.</summary>
    public event EventHandler<RegistrationEventArgs>? Expired;

    /// <summary>Where the registrations are kept.</summary>
    public IRegistrationStore Store { get; }

    /// <summary>The address the server's CoAP endpoint listens on.</summary>
    public CoapPeer LocalEndPoint => _endpoint.LocalEndPoint;

    /// <summary>
    /// True when the server has nothing left to do right now: no queued datagram, no request handler running, no
    /// firmware update with a step under way. Code driving a virtual network (<c>VirtualNetwork.AddIdleCheck</c>) settles on it.
    /// </summary>
    public bool IsIdle => _endpoint.IsIdle && (Volatile.Read(ref _firmware)?.IsIdle ?? true);

    /// <summary>The server's settings.</summary>
    public Lwm2mServerOptions Options => _options;

    /// <summary>
    /// Starts a server on <paramref name="transport"/> (which it then owns). <paramref name="time"/> drives lifetimes
    /// and timeouts (the system clock when null).
    /// </summary>
    public static async ValueTask<Lwm2mServer> StartAsync(ICoapTransport transport, Lwm2mServerOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        options ??= new Lwm2mServerOptions();
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        var handler = new RequestHandler();
        CoapEndpointOptions coap = options.Coap ?? new CoapEndpointOptions();
        var endpointOptions = new CoapEndpointOptions
        {
            Engine = coap.Engine,
            HandlerTimeout = coap.HandlerTimeout,
            NotificationBuffer = coap.NotificationBuffer,
            Random = coap.Random,
            RunHandlersInline = coap.RunHandlersInline,
            Handler = handler,
        };
        CoapEndpoint endpoint = await CoapEndpoint.StartAsync(transport, endpointOptions, time, loggers).ConfigureAwait(false);
        return new Lwm2mServer(endpoint, options, time, loggers, handler) { _transport = transport };
    }

    /// <summary>The registration of <paramref name="endpoint"/>, or null when it is not registered.</summary>
    public ValueTask<Registration?> GetRegistrationAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return Store.GetByEndpointAsync(endpoint, cancellationToken);
    }

    /// <summary>A snapshot of every registration.</summary>
    public ValueTask<IReadOnlyList<Registration>> GetRegistrationsAsync(CancellationToken cancellationToken = default) =>
        Store.GetAllAsync(cancellationToken);

    /// <summary>Stops expiry timers and closes the CoAP endpoint; pending operations end with <see cref="Operations.Lwm2mResultStatus.NetworkError"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        DisposeExpiryTimers();
        Volatile.Read(ref _firmware)?.StopAll();
        await _endpoint.DisposeAsync().ConfigureAwait(false);
    }

    private void Raise(EventHandler<RegistrationEventArgs>? handler, RegistrationEventArgs args, string name)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, args);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.EventHandlerFailed(_logger, name, args.Registration.Endpoint, ex);
        }
    }

    /// <summary>Routes the endpoint's incoming requests to the server (set once the server exists).</summary>
    private sealed class RequestHandler : ICoapRequestHandler
    {
        public Lwm2mServer? Server { get; set; }

        public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken) =>
            Server is { } server ? server.HandleAsync(request, cancellationToken) : ValueTask.FromResult<CoapResponse?>(new CoapResponse(Coap.Messages.CoapCode.ServiceUnavailable));
    }
}
