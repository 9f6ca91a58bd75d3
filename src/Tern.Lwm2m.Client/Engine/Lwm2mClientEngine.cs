using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>
/// The client lifecycle as a sans-I/O state machine (seed 001). The driver feeds it time (<see cref="Step"/>),
/// exchange outcomes (<see cref="OnResponse"/>, <see cref="OnExchangeFailed"/>), the bootstrap server's
/// Bootstrap-Finish (<see cref="OnBootstrapFinish"/>) and queued application requests,
/// and takes back actions (<see cref="TryTakeAction"/>), events (<see cref="TryTakeEvent"/>) and
/// <see cref="NextWakeUp"/>. Not thread-safe: one driver owns it.
/// </summary>
/// <remarks>
/// Every LwM2M server account (a Security and Server instance pair) has its own registration session with its own
/// state, retries, Update schedule, queue mode and suspension; Initial, Bootstrap and Failure concern the whole client.
/// <see cref="State"/> is the client's phase, or the primary (first) server's session state while sessions run, so a
/// client with one server reads exactly as a single-server state machine; <see cref="GetServerState"/> gives each
/// server's own state.
/// </remarks>
public sealed partial class Lwm2mClientEngine
{
    private readonly Lwm2mClientOptions _options;
    private readonly ILogger _logger;
    private readonly Queue<Lwm2mClientAction> _actions = new();
    private readonly Queue<Lwm2mClientEvent> _events = new();
    private readonly Queue<Action> _requests = new();
    private Lwm2mClientConfiguration _configuration;
    private IReadOnlyList<Lwm2mObjectAdvert> _objects;
    private DateTimeOffset _now;
    private bool _started;
    private long _lastExchangeId;

    /// <summary>Creates an engine in <see cref="Lwm2mClientState.Initial"/>; nothing happens until <see cref="Start"/>.</summary>
    /// <param name="configuration">The Security and Server instances (validated on entering Initial).</param>
    /// <param name="options">Endpoint name, versions, objects and timing options.</param>
    /// <param name="logger">Where transitions are logged.</param>
    public Lwm2mClientEngine(Lwm2mClientConfiguration configuration, Lwm2mClientOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _configuration = configuration;
        _options = options;
        _objects = options.Objects;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Whether a Register, Update, Deregister or Bootstrap-Request (to any server) is waiting for its outcome.</summary>
    public bool HasExchangeInFlight => _bootstrapExchange is not null || _sessions.Exists(s => s.Pending is not null);

    /// <summary>Whether the lifecycle was started and not stopped (Initial with this false is at rest).</summary>
    public bool IsStarted => _started;

    /// <summary>The client's state: Initial, Bootstrap, Suspended (all of it) or Failure, else the primary server's session state.</summary>
    public Lwm2mClientState State { get; private set; } = Lwm2mClientState.Initial;

    /// <summary>The configuration in use.</summary>
    public Lwm2mClientConfiguration Configuration => _configuration;

    /// <summary>The primary server account (the first one) once Initial has chosen the accounts; null while bootstrapping.</summary>
    public Lwm2mServerAccount? CurrentAccount => _sessions.Count > 0 ? _sessions[0].Account : null;

    /// <summary>
    /// When the driver must call <see cref="Step"/> next; null means only an exchange outcome or an application
    /// request can move the engine. A queued request makes this the current time.
    /// </summary>
    public DateTimeOffset? NextWakeUp => _requests.Count > 0 ? _now : _paused ? null : ComputeNextWakeUp();

    /// <summary>Asks the client to leave Initial and start working.</summary>
    public void Start() => _requests.Enqueue(() => _started = true);

    /// <summary>Stops the client: every registered server is deregistered first when <paramref name="deregister"/>, then the client rests in Initial.</summary>
    /// <param name="deregister">False closes without telling the servers.</param>
    public void Stop(bool deregister) => _requests.Enqueue(() => ApplyStop(deregister));

    /// <summary>Forces the client back to Initial (deregistering every registered server first), also out of Failure.</summary>
    public void Restart() => _requests.Enqueue(ApplyRestart);

    /// <summary>Suspends the client on the application's behalf: every server is deregistered first if registered.</summary>
    /// <param name="duration">How long; null suspends until <see cref="Restart"/>. Calling again while suspended replaces the timeout.</param>
    public void DisableServer(TimeSpan? duration)
    {
        CheckDuration(duration);
        _requests.Enqueue(() => ApplyUserDisable(null, duration));
    }

    /// <summary>Suspends one server's session on the application's behalf (deregistering it first); the others go on.</summary>
    /// <param name="shortServerId">The server.</param>
    /// <param name="duration">How long; null suspends until <see cref="Restart"/>. Calling again while suspended replaces the timeout.</param>
    public void DisableServer(ushort shortServerId, TimeSpan? duration)
    {
        CheckDuration(duration);
        _requests.Enqueue(() => ApplyUserDisable(shortServerId, duration));
    }

    /// <summary>The primary server executed Disable (/1/x/4): deregister, then stay suspended for its Disable Timeout (/1/x/5).</summary>
    public void OnServerDisableExecuted() => _requests.Enqueue(() => ApplyServerDisable(CurrentAccount?.Server.ShortServerId));

    /// <summary>Disable (/1/x/4) of the server with this short server id was executed: that session deregisters and is suspended for its /1/x/5.</summary>
    /// <param name="shortServerId">The server whose Server instance was executed.</param>
    public void OnServerDisableExecuted(ushort shortServerId) => _requests.Enqueue(() => ApplyServerDisable(shortServerId));

    /// <summary>Asks every registered server for an Update as soon as the flood guard allows (the application's request).</summary>
    public void TriggerUpdate() => _requests.Enqueue(() => _sessions.ForEach(s => s.UpdateRequested = true));

    /// <summary>Asks one server for an Update as soon as the flood guard allows (its Registration Update Trigger, /1/x/8).</summary>
    /// <param name="shortServerId">The server.</param>
    public void TriggerUpdate(ushort shortServerId) => _requests.Enqueue(() =>
    {
        if (FindSession(shortServerId) is { } session)
        {
            session.UpdateRequested = true;
        }
    });

    /// <summary>Replaces the advertised objects; a change sends an Update with the new links to every registered server.</summary>
    /// <param name="objects">The objects and instances that now exist.</param>
    public void SetObjects(IReadOnlyList<Lwm2mObjectAdvert> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        _requests.Enqueue(() => ApplyObjects(objects));
    }

    /// <summary>Replaces a Server (1) instance (e.g. the server wrote /1/x/1); a lifetime change sends an Update at once.</summary>
    /// <param name="server">The new instance, matched by instance id.</param>
    public void UpdateServerInstance(Lwm2mServerInstance server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _requests.Enqueue(() => ApplyServerInstance(server));
    }

    /// <summary>
    /// Whether an exchange in progress reads the given path, so the application should not modify it now
    /// (Anjay Lite's <c>anj_core_ongoing_operation</c>): Register and Update read their account's Security and Server
    /// instances, and while bootstrapping the bootstrap server may write Security, Server and Access Control (/0, /1, /2) at any time.
    /// </summary>
    /// <param name="path">The path the application wants to modify.</param>
    public bool IsOperationOngoing(Lwm2mPath path)
    {
        if (State == Lwm2mClientState.Bootstrap)
        {
            // The bootstrap server may write any of Security, Server and Access Control until Bootstrap-Finish.
            return path.IsRoot || path.ObjectId is 0 or 1 or 2;
        }

        foreach (var session in _sessions)
        {
            if (session.Pending is null)
            {
                continue;
            }

            var security = new Lwm2mPath(0, session.Account.Security.InstanceId);
            var server = new Lwm2mPath(1, session.Account.Server.InstanceId);
            if (path.Contains(security) || security.Contains(path) || path.Contains(server) || server.Contains(path))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Takes the next action for the driver.</summary>
    /// <param name="action">The action.</param>
    public bool TryTakeAction(out Lwm2mClientAction action) => _actions.TryDequeue(out action!);

    /// <summary>Takes the next event for the application.</summary>
    /// <param name="clientEvent">The event.</param>
    public bool TryTakeEvent(out Lwm2mClientEvent clientEvent) => _events.TryDequeue(out clientEvent!);

    /// <summary>Applies queued requests and does whatever the current time calls for.</summary>
    /// <param name="now">The current time.</param>
    public void Step(DateTimeOffset now)
    {
        _now = now;
        while (_requests.TryDequeue(out var request))
        {
            request();
        }

        // A state may hand over to the next within one step (Initial -> Registration sends Register at once).
        for (var rounds = 0; rounds < 8 && !_paused && Advance(); rounds++)
        {
        }
    }

    private static void CheckDuration(TimeSpan? duration)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), "The disable duration must not be negative; pass null to disable indefinitely.");
        }
    }

    private bool Advance() => _phase switch
    {
        Phase.Initial => StepInitial(),
        Phase.Bootstrap => StepBootstrap(),
        Phase.Servers => StepSessions(),
        Phase.Suspended => StepClientSuspended(),
        _ => false,
    };

    private DateTimeOffset? ComputeNextWakeUp() => _phase switch
    {
        Phase.Bootstrap => BootstrapWakeUp(),
        Phase.Servers => SessionsWakeUp(),
        Phase.Suspended => _clientDisabledUntil == DateTimeOffset.MaxValue ? null : _clientDisabledUntil,
        _ => null,
    };

    private void Raise(Lwm2mClientEvent clientEvent) => _events.Enqueue(clientEvent);

    private long NextExchangeId() => ++_lastExchangeId;

    private void Send(ServerSession session, Lwm2mRequestKind kind, Tern.Coap.Messages.CoapMessage request)
    {
        var id = NextExchangeId();
        session.Pending = id;
        session.PendingKind = kind;
        _actions.Enqueue(new Lwm2mSendRequest(id, kind, session.ServerUri, request));
    }

    private void CloseConnection(ServerSession session, bool keepContext)
    {
        session.Pending = null;
        _actions.Enqueue(new Lwm2mCloseConnection(session.ServerUri, keepContext));
    }

    private bool StepInitial()
    {
        if (!_started)
        {
            return false;
        }

        var errors = _configuration.Validate();
        if (errors.Count > 0)
        {
            Fail(Lwm2mClientErrorCode.ConfigurationInvalid, string.Join(" ", errors));
            return false;
        }

        var accounts = _configuration.ServerAccounts;
        if (accounts.Count == 0)
        {
            // Only a bootstrap-server account (Validate refuses a configuration with neither).
            SetPhase(Phase.Bootstrap);
            return true;
        }

        StartSessions(accounts);
        return true;
    }

    private void Fail(Lwm2mClientErrorCode code, string message)
    {
        LogFailure(code, message);
        Raise(new Lwm2mClientError(_now, code, message));
        SetPhase(Phase.Failure);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{From} -> {To}")]
    private partial void LogTransition(Lwm2mClientState from, Lwm2mClientState to);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Client failed ({Code}): {Reason}")]
    private partial void LogFailure(Lwm2mClientErrorCode code, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "Server {ShortServerId}: {From} -> {To}")]
    private partial void LogServerTransition(ushort shortServerId, Lwm2mClientState from, Lwm2mClientState to);
}
