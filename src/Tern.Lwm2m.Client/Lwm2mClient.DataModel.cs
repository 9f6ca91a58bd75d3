using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tern.Coap.Endpoint;
using Tern.Coap.Messages;
using Tern.Coap.Transport;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.DataModel;
using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client;

/// <summary>
/// The data model side of the client: serving a server's requests from a <see cref="Lwm2mObjectStore"/> and turning
/// what they change into engine requests.
/// <list type="bullet">
/// <item>Only the peers the client itself talks to (the server it registers with, the bootstrap server) are served;
/// a request from any other address is answered 4.01 Unauthorized and logged, so a stray or spoofed sender learns
/// nothing of the data model and the exchange still completes.</item>
/// <item>Executes of /1/x/4 (Disable) and /1/x/8 (Registration Update Trigger) call the engine; a change under /1/x
/// (lifetime, binding...) replaces the engine's Server instance; created or deleted instances re-advertise the objects.</item>
/// <item>Bootstrap: Execute /1/x/9 asks the engine to bootstrap (<see cref="OnBootstrapTriggerExecuted"/>); each successful
/// request of the bootstrap server restarts the Bootstrap-Finish timeout (<see cref="OnBootstrapServerRequestHandled"/>);
/// Bootstrap-Finish (POST /bs from the bootstrap server) is answered by the engine's validation of the Security, Server and
/// Access Control instances the store now holds (<see cref="Lwm2mObjectStore.ReadConfiguration"/>): 2.04, or 4.06 with the
/// reason as text. It is served before the dispatcher because the answer waits for the client's loop, which owns the engine.</item>
/// </list>
/// </summary>
public sealed partial class Lwm2mClient
{
    private readonly ConcurrentDictionary<CoapPeer, Lwm2mRequester> _peers = new();
    private readonly ConcurrentDictionary<string, Lwm2mRequester> _serverUris = new(StringComparer.Ordinal);
    private readonly Lwm2mObjectStore? _store;
    private readonly Lwm2mRequestDispatcher? _dispatcher;

    /// <summary>
    /// Creates a client that serves <paramref name="store"/>: <paramref name="configuration"/> is loaded into its Security
    /// (0) and Server (1) objects (replacing any instances there), the store's objects are advertised instead of
    /// <see cref="Lwm2mClientOptions.Objects"/>, and the endpoint's request handler is set to the client's.
    /// </summary>
    /// <param name="configuration">The Security and Server instances.</param>
    /// <param name="options">Endpoint name, versions and timing; the preferred content format also picks answers without Accept.</param>
    /// <param name="endpoint">The CoAP endpoint (the client does not own it, but takes over its request handler).</param>
    /// <param name="store">The data model to serve.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggers">Logging; none when null.</param>
    /// <param name="resolvePeer">Maps a server URI to a peer; by default IP literals are used as they are and names go through DNS.</param>
    /// <param name="eventCapacity">How many unread events are kept.</param>
    public Lwm2mClient(Lwm2mClientConfiguration configuration, Lwm2mClientOptions options, CoapEndpoint endpoint, Lwm2mObjectStore store,
        TimeProvider? time = null, ILoggerFactory? loggers = null, Func<string, CancellationToken, ValueTask<CoapPeer>>? resolvePeer = null,
        int eventCapacity = 1024)
        : this(configuration, options, endpoint, time, loggers, resolvePeer, eventCapacity)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        // The engine's configuration: the saved one when the state directory holds one, else the factory one.
        store.LoadConfiguration(_engine.Configuration);
        _dispatcher = new Lwm2mRequestDispatcher(store)
        {
            PreferredContentFormat = options.PreferredContentFormat,
            Version = options.AllowedVersions[0],
        };
        _engine.SetObjects(store.GetObjectAdverts());
        store.InstancesChanged += OnInstancesChanged;
        store.ValuesChanged += OnValuesChanged;
        store.Executed += OnExecuted;
        AttachReporting(store, options.StateDirectory, null);
        endpoint.SetRequestHandler(new InboundHandler(this));
    }

    /// <summary>The data model the client serves, or null when it was created without one.</summary>
    public Lwm2mObjectStore? DataModel => _store;

    /// <summary>The dispatcher serving <see cref="DataModel"/>, or null without one. Bootstrap-Finish never reaches it: the client answers it.</summary>
    public Lwm2mRequestDispatcher? Dispatcher => _dispatcher;

    /// <summary>On the loop, for each exchange it starts: who is behind the URI (short server id, bootstrap or not).</summary>
    private void NoteServerUri(string serverUri)
    {
        if (_dispatcher is null)
        {
            return;
        }

        Lwm2mSecurityInstance? security = _engine.Configuration.Securities.FirstOrDefault(s => s.ServerUri == serverUri);
        _serverUris[serverUri] = new Lwm2mRequester(security?.ShortServerId ?? 0, security?.IsBootstrapServer ?? false);
        _dispatcher.Version = _engine.CurrentVersion;
    }

    /// <summary>Once the URI is resolved: requests from that peer are served as coming from that server.</summary>
    private void NotePeer(string serverUri, CoapPeer peer)
    {
        if (_serverUris.TryGetValue(serverUri, out Lwm2mRequester? requester))
        {
            _peers[peer] = requester;
        }
    }

    /// <summary>Stops listening to the store (on dispose); the endpoint keeps answering, with 4.04, only what it is sent.</summary>
    private void DetachDataModel()
    {
        if (_store is null)
        {
            return;
        }

        _store.InstancesChanged -= OnInstancesChanged;
        _store.ValuesChanged -= OnValuesChanged;
        _store.Executed -= OnExecuted;
        DetachReporting();
        _endpoint.SetRequestHandler(null);
    }

    private void OnInstancesChanged(object? sender, Lwm2mInstancesChangedEventArgs e) => TryPost(() => _engine.SetObjects(_store!.GetObjectAdverts()));

    private void OnValuesChanged(object? sender, Lwm2mValuesChangedEventArgs e)
    {
        if (!TouchesServerSettings(e.Paths))
        {
            return; // the usual case (an application value): no LINQ on the notification path
        }

        var serverInstances = e.Paths.Where(p => p.ObjectId == 1 && p.Level >= Lwm2mPathLevel.Resource).Select(p => p.InstanceId!.Value).Distinct().ToList();
        if (serverInstances.Count == 0 || _store is null)
        {
            return;
        }

        foreach (Lwm2mServerInstance server in _store.ReadConfiguration().Servers.Where(s => serverInstances.Contains(s.InstanceId)))
        {
            TryPost(() => _engine.UpdateServerInstance(server));
        }
    }

    private void OnExecuted(object? sender, Lwm2mExecutedEventArgs e)
    {
        if (e.Path.ObjectId != 1)
        {
            return;
        }

        // Disable and Registration Update Trigger concern the server whose Server instance was executed; the
        // instance is mapped to its short server id on the loop, which owns the engine's configuration.
        int instance = e.Path.InstanceId ?? -1;
        switch (e.Path.ResourceId)
        {
            case 4:
                TryPost(() => ForServerInstance(instance, _engine.OnServerDisableExecuted));
                break;
            case 8:
                TryPost(() => ForServerInstance(instance, _engine.TriggerUpdate));
                break;
            case 9:
                TryPost(_engine.OnServerBootstrapTriggerExecuted);
                break;
        }
    }

    private void ForServerInstance(int instance, Action<ushort> action)
    {
        if (_engine.Configuration.Servers.FirstOrDefault(s => s.InstanceId == instance) is { } server)
        {
            action(server.ShortServerId);
        }
    }

    /// <summary>Posts to the loop unless the client is disposed (store events may come after).</summary>
    private void TryPost(Action action) => _inbox.Writer.TryWrite(action);

    private async ValueTask<CoapResponse> HandleInboundAsync(CoapRequestContext context, CancellationToken cancellationToken)
    {
        if (!_peers.TryGetValue(context.Peer, out Lwm2mRequester? requester))
        {
            LogRefusedPeer(context.Peer, context.Request.Code.ToString(), context.Request.UriPath);
            return new CoapResponse(CoapCode.Unauthorized, "Not a server of this client."u8.ToArray());
        }

        if (requester.IsBootstrapServer && BootstrapMessages.IsBootstrapFinish(context.Request))
        {
            return await AnswerBootstrapFinishAsync(cancellationToken).ConfigureAwait(false);
        }

        if (!requester.IsBootstrapServer && HandleReporting(context, (ushort)requester.ShortServerId) is { } reported)
        {
            return reported;
        }

        if (!requester.IsBootstrapServer && Firmware.Lwm2mFirmwareObject.TryWritePackageBlock(_store!, context.Request) is { } packageBlock)
        {
            // One block of a pushed firmware package, passed through by the endpoint: straight to storage.
            return packageBlock;
        }

        CoapResponse response = _dispatcher!.Handle(context.Request, requester.ShortServerId, requester.IsBootstrapServer);
        if (requester.IsBootstrapServer && response.Code.IsSuccess)
        {
            // The bootstrap session is alive: the Bootstrap-Finish timeout starts over.
            TryPost(() => _engine.OnBootstrapServerRequest(_time.GetUtcNow()));
        }

        return response;
    }

    /// <summary>The engine validates what the bootstrap server's writes left in the store; 4.06 carries the reason.</summary>
    private async ValueTask<CoapResponse> AnswerBootstrapFinishAsync(CancellationToken cancellationToken)
    {
        Lwm2mBootstrapFinishResult result;
        try
        {
            result = await FinishAsync(_store!.ReadConfiguration, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return new CoapResponse(CoapCode.ServiceUnavailable);
        }

        return result.Accepted ? new CoapResponse(CoapCode.Changed) : CoapResponse.Text(CoapCode.NotAcceptable, result.Reason ?? "Not acceptable.");
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {Peer}: not a server of this client")]
    private partial void LogRefusedPeer(CoapPeer peer, string method, string path);

    private sealed record Lwm2mRequester(int ShortServerId, bool IsBootstrapServer);

    private sealed class InboundHandler(Lwm2mClient client) : ICoapRequestHandler
    {
        public async ValueTask<CoapResponse?> HandleAsync(CoapRequestContext request, CancellationToken cancellationToken) =>
            await client.HandleInboundAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
