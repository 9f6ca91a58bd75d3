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
/// <see cref="NextWakeUp"/>. Not thread-safe: one driver owns it. Every state change goes through <see cref="Transition"/>.
/// </summary>
public sealed partial class Lwm2mClientEngine
{
    private readonly Lwm2mClientOptions _options;
    private readonly ILogger _logger;
    private readonly Queue<Lwm2mClientAction> _actions = new();
    private readonly Queue<Lwm2mClientEvent> _events = new();
    private readonly Queue<Action> _requests = new();
    private Lwm2mClientConfiguration _configuration;
    private IReadOnlyList<Lwm2mObjectAdvert> _objects;
    private Lwm2mServerAccount? _account;
    private DateTimeOffset _now;
    private bool _started;
    private long _lastExchangeId;
    private long? _pendingExchange;
    private Lwm2mRequestKind _pendingKind;
    private bool _stopWhenRegisterEnds;

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

    /// <summary>Whether a Register, Update or Deregister is waiting for its outcome.</summary>
    public bool HasExchangeInFlight => _pendingExchange is not null;

    /// <summary>Whether the lifecycle was started and not stopped (Initial with this false is at rest).</summary>
    public bool IsStarted => _started;

    /// <summary>The current state.</summary>
    public Lwm2mClientState State { get; private set; } = Lwm2mClientState.Initial;

    /// <summary>The configuration in use.</summary>
    public Lwm2mClientConfiguration Configuration => _configuration;

    /// <summary>The server account being registered with, once Initial has chosen one.</summary>
    public Lwm2mServerAccount? CurrentAccount => _account;

    /// <summary>
    /// When the driver must call <see cref="Step"/> next; null means only an exchange outcome or an application
    /// request can move the engine. A queued request makes this the current time.
    /// </summary>
    public DateTimeOffset? NextWakeUp => _requests.Count > 0 ? _now : _paused ? null : ComputeNextWakeUp();

    /// <summary>Asks the client to leave Initial and start working.</summary>
    public void Start() => _requests.Enqueue(() => _started = true);

    /// <summary>Stops the client: deregisters first when <paramref name="deregister"/> and registered, then rests in Initial.</summary>
    /// <param name="deregister">False closes without telling the server.</param>
    public void Stop(bool deregister) => _requests.Enqueue(() => ApplyStop(deregister));

    /// <summary>Forces the client back to Initial (deregistering first if registered), also out of Failure.</summary>
    public void Restart() => _requests.Enqueue(ApplyRestart);

    /// <summary>Suspends the client on the application's behalf (deregistering first if registered).</summary>
    /// <param name="duration">How long; null suspends until <see cref="Restart"/>. Calling again while suspended replaces the timeout.</param>
    public void DisableServer(TimeSpan? duration)
    {
        if (duration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), "The disable duration must not be negative; pass null to disable indefinitely.");
        }

        _requests.Enqueue(() => ApplyDisable(user: true, duration));
    }

    /// <summary>The server executed Disable (/1/x/4): deregister, then stay suspended for the Disable Timeout (/1/x/5).</summary>
    public void OnServerDisableExecuted() => _requests.Enqueue(() => ApplyDisable(user: false, null));

    /// <summary>Asks for an Update as soon as the flood guard allows (Registration Update Trigger, /1/x/8, or the application).</summary>
    public void TriggerUpdate() => _requests.Enqueue(() => _updateRequested = true);

    /// <summary>Replaces the advertised objects; a change sends an Update with the new links.</summary>
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
    /// (Anjay Lite's <c>anj_core_ongoing_operation</c>): Register and Update read the account's Security and Server instances,
    /// and while bootstrapping the bootstrap server may write Security, Server and Access Control (/0, /1, /2) at any time.
    /// </summary>
    /// <param name="path">The path the application wants to modify.</param>
    public bool IsOperationOngoing(Lwm2mPath path)
    {
        if (State == Lwm2mClientState.Bootstrap)
        {
            // The bootstrap server may write any of Security, Server and Access Control until Bootstrap-Finish.
            return path.IsRoot || path.ObjectId is 0 or 1 or 2;
        }

        if (_pendingExchange is null || _account is null)
        {
            return false;
        }

        var security = new Lwm2mPath(0, _account.Security.InstanceId);
        var server = new Lwm2mPath(1, _account.Server.InstanceId);
        return path.Contains(security) || security.Contains(path) || path.Contains(server) || server.Contains(path);
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

    private bool Advance() => State switch
    {
        Lwm2mClientState.Initial => StepInitial(),
        Lwm2mClientState.Bootstrap => StepBootstrap(),
        Lwm2mClientState.Registration => StepRegistration(),
        Lwm2mClientState.RegistrationSession => StepSession(),
        Lwm2mClientState.QueueMode => StepQueueMode(),
        Lwm2mClientState.Suspended => StepSuspended(),
        _ => false,
    };

    private DateTimeOffset? ComputeNextWakeUp() => State switch
    {
        Lwm2mClientState.Bootstrap => BootstrapWakeUp(),
        Lwm2mClientState.Registration => _pendingExchange is null ? _attemptAt : null,
        Lwm2mClientState.RegistrationSession => _pendingExchange is null ? SessionWakeUp(queueTimeout: true) : null,
        Lwm2mClientState.QueueMode => SessionWakeUp(queueTimeout: false),
        Lwm2mClientState.Suspended => SuspendWakeUp(),
        _ => null,
    };

    /// <summary>The one place where the state changes: logs "From -> To" and raises <see cref="Lwm2mStateChanged"/>.</summary>
    private void Transition(Lwm2mClientState to)
    {
        var from = State;
        if (from == to)
        {
            return;
        }

        State = to;
        LogTransition(from, to);
        Raise(new Lwm2mStateChanged(_now, from, to));
        if (to == Lwm2mClientState.Registration)
        {
            BeginRegistrationSequence();
        }
        else if (to == Lwm2mClientState.Bootstrap)
        {
            BeginBootstrap();
        }
    }

    private void Raise(Lwm2mClientEvent clientEvent) => _events.Enqueue(clientEvent);

    private long Send(Lwm2mRequestKind kind, Tern.Coap.Messages.CoapMessage request)
    {
        var id = ++_lastExchangeId;
        _pendingExchange = id;
        _pendingKind = kind;
        _actions.Enqueue(new Lwm2mSendRequest(id, kind, CurrentServerUri!, request));
        return id;
    }

    private void CloseConnection(bool keepContext)
    {
        _pendingExchange = null;
        if (CurrentServerUri is { } uri)
        {
            _actions.Enqueue(new Lwm2mCloseConnection(uri, keepContext));
        }
    }

    /// <summary>The server the current state talks to: the bootstrap server in Bootstrap, else the account's server.</summary>
    private string? CurrentServerUri => State == Lwm2mClientState.Bootstrap ? _bootstrapAccount?.ServerUri : _account?.Security.ServerUri;

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
            Transition(Lwm2mClientState.Bootstrap);
            return true;
        }

        _account = accounts[0];
        Transition(Lwm2mClientState.Registration);
        return true;
    }

    private void Fail(Lwm2mClientErrorCode code, string message)
    {
        LogFailure(code, message);
        Raise(new Lwm2mClientError(_now, code, message));
        Transition(Lwm2mClientState.Failure);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{From} -> {To}")]
    private partial void LogTransition(Lwm2mClientState from, Lwm2mClientState to);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Client failed ({Code}): {Reason}")]
    private partial void LogFailure(Lwm2mClientErrorCode code, string reason);
}
