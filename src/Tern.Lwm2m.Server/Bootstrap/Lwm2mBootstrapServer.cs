using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>
/// An LwM2M bootstrap server: answers Bootstrap-Request (POST /bs?ep=) for endpoints it has a configuration for,
/// then runs the session: optional Bootstrap-Discover, Bootstrap-Read of the configured Server and Access Control
/// objects, Bootstrap-Delete, Bootstrap-Write for each configured instance, and Bootstrap-Finish. A failed Delete,
/// Write or Finish ends the session without Finish; a refused Discover or Read is recorded and the session goes on.
/// </summary>
public sealed partial class Lwm2mBootstrapServer : IAsyncDisposable
{
    private readonly CoapEndpoint _endpoint;
    private readonly Lwm2mBootstrapServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lwm2mContentFormatRegistry _formats;
    private readonly IObjectDefinitionProvider _objects;
    private readonly CancellationTokenSource _stopping = new();
    private int _sessions;

    private Lwm2mBootstrapServer(CoapEndpoint endpoint, Lwm2mBootstrapServerOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _endpoint = endpoint;
        _options = options;
        _time = time;
        _logger = loggers.CreateLogger<Lwm2mBootstrapServer>();
        _formats = options.Formats ?? Lwm2mContentFormatRegistry.Default;
        _objects = options.Objects ?? new ObjectDefinitionRegistry();
        Store = options.Store ?? new InMemoryBootstrapConfigurationStore();
    }

    /// <summary>A bootstrap session ended, successfully or not.</summary>
    public event EventHandler<BootstrapSessionEventArgs>? SessionEnded;

    /// <summary>The configurations by endpoint.</summary>
    public IBootstrapConfigurationStore Store { get; }

    /// <summary>The address the bootstrap server listens on.</summary>
    public CoapPeer LocalEndPoint => _endpoint.LocalEndPoint;

    /// <summary>True when the endpoint has no queued work and no session runs (tests settle on this).</summary>
    public bool IsIdle => _endpoint.IsIdle && Volatile.Read(ref _sessions) == 0;

    /// <summary>Starts a bootstrap server on <paramref name="transport"/>, which it then owns.</summary>
    public static async ValueTask<Lwm2mBootstrapServer> StartAsync(ICoapTransport transport, Lwm2mBootstrapServerOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        options ??= new Lwm2mBootstrapServerOptions();
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        var handler = new Handler();
        CoapEndpointOptions coap = options.Coap ?? new CoapEndpointOptions();
        CoapEndpoint endpoint = await CoapEndpoint.StartAsync(transport, new CoapEndpointOptions
        {
            Engine = coap.Engine,
            HandlerTimeout = coap.HandlerTimeout,
            NotificationBuffer = coap.NotificationBuffer,
            Random = coap.Random,
            RunHandlersInline = coap.RunHandlersInline,
            Handler = handler,
        }, time, loggers).ConfigureAwait(false);
        var server = new Lwm2mBootstrapServer(endpoint, options, time, loggers) { _transport = transport };
        handler.Server = server;
        return server;
    }

    /// <summary>Stops running sessions and closes the endpoint.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _endpoint.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async ValueTask<CoapResponse?> HandleAsync(CoapRequestContext context, CancellationToken cancellationToken)
    {
        CoapMessage request = context.Request;
        if (request.UriPath != "/bs")
        {
            return new CoapResponse(CoapCode.NotFound);
        }

        if (request.Code != CoapCode.Post)
        {
            return new CoapResponse(CoapCode.MethodNotAllowed);
        }

        string? endpoint = null;
        ushort? preferred = null;
        foreach (string query in request.UriQueries)
        {
            if (query.StartsWith("ep=", StringComparison.Ordinal))
            {
                endpoint = query[3..];
            }
            else if (query.StartsWith("pct=", StringComparison.Ordinal))
            {
                if (!ushort.TryParse(query.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out ushort pct))
                {
                    return CoapResponse.Text(CoapCode.BadRequest, $"The preferred content format 'pct' must be a number, not '{query[4..]}'.");
                }

                preferred = pct;
            }
        }

        if (string.IsNullOrEmpty(endpoint))
        {
            return CoapResponse.Text(CoapCode.BadRequest, "Bootstrap-Request needs the endpoint name parameter 'ep'.");
        }

        if (Authorize(context.Peer, endpoint) is { } refusal)
        {
            return refusal;
        }

        BootstrapConfiguration? configuration = await Store.GetAsync(endpoint, cancellationToken).ConfigureAwait(false);
        if (configuration is null)
        {
            Log.NoConfiguration(_logger, endpoint, context.Peer);
            return CoapResponse.Text(CoapCode.BadRequest, $"No bootstrap configuration for '{endpoint}'.");
        }

        // The session runs after this 2.04 is on its way.
        Interlocked.Increment(ref _sessions);
        _ = Task.Run(() => RunSessionAsync(endpoint, context.Peer, configuration, preferred), CancellationToken.None);
        return new CoapResponse(CoapCode.Changed);
    }

    private sealed class Handler : ICoapRequestHandler
    {
        public Lwm2mBootstrapServer? Server { get; set; }

        public ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken) =>
            Server is { } server ? server.HandleAsync(request, cancellationToken) : ValueTask.FromResult<CoapResponse?>(new CoapResponse(CoapCode.ServiceUnavailable));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Bootstrap-Request from {Endpoint} at {Peer}, which has no configuration")]
        public static partial void NoConfiguration(ILogger logger, string endpoint, CoapPeer peer);

        [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Bootstrap session of {Endpoint} ended: success {Success} {Failure}")]
        public static partial void SessionEnded(ILogger logger, string endpoint, bool success, string? failure);

        [LoggerMessage(EventId = 6103, Level = LogLevel.Error, Message = "The SessionEnded handler failed for {Endpoint}")]
        public static partial void EventHandlerFailed(ILogger logger, string endpoint, Exception exception);
    }
}
