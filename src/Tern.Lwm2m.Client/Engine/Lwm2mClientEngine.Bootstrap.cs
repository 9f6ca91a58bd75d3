using Microsoft.Extensions.Logging;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>
/// The Bootstrap state (seed 001): Bootstrap-Request to the bootstrap-server account, then wait for the bootstrap
/// server's writes and Bootstrap-Finish; a failure or a timeout retries after <see cref="Lwm2mClientOptions.BootstrapRetryTimeout"/>
/// doubling each time, and after <see cref="Lwm2mClientOptions.BootstrapRetryCount"/> retries the client fails.
/// </summary>
public sealed partial class Lwm2mClientEngine
{
    /// <summary>The short server id events carry for the bootstrap server (LwM2M reserves 65535 for it).</summary>
    public const ushort BootstrapShortServerId = ushort.MaxValue;

    private Lwm2mSecurityInstance? _bootstrapAccount;
    private int _bootstrapFailures;
    private int _bootstrapAttempts;
    private DateTimeOffset? _bootstrapAttemptAt;
    private DateTimeOffset? _bootstrapFinishDeadline;
    private CoapCode? _lastBootstrapCode;
    private bool _bootstrapRequested;
    private long? _bootstrapExchange;

    /// <summary>
    /// Asks the client to bootstrap (Anjay Lite's <c>anj_core_request_bootstrap</c>): a registered client deregisters
    /// first; from any other state, Failure and Suspended included, it goes straight to Bootstrap. Refused only while the
    /// client is bootstrapping or a bootstrap is already requested.
    /// </summary>
    public Lwm2mBootstrapRequestResult RequestBootstrap()
    {
        if (State == Lwm2mClientState.Bootstrap || _bootstrapRequested)
        {
            return Lwm2mBootstrapRequestResult.AlreadyBootstrapping;
        }

        _bootstrapRequested = true;
        _requests.Enqueue(ApplyRequestBootstrap);
        return Lwm2mBootstrapRequestResult.Accepted;
    }

    /// <summary>
    /// The server executed Bootstrap-Request Trigger (/1/x/9): deregister, then bootstrap. Ignored while bootstrapping.
    /// </summary>
    public void OnServerBootstrapTriggerExecuted() => RequestBootstrap();

    /// <summary>
    /// The bootstrap server made a request (Write, Delete, Discover, Read) that succeeded: the Bootstrap-Finish timeout
    /// starts over, as the session is alive. Ignored outside Bootstrap.
    /// </summary>
    /// <param name="now">The current time.</param>
    public void OnBootstrapServerRequest(DateTimeOffset now)
    {
        _now = now;
        if (State == Lwm2mClientState.Bootstrap && _bootstrapFinishDeadline is not null)
        {
            _bootstrapFinishDeadline = now + _options.BootstrapFinishTimeout;
        }
    }

    /// <summary>
    /// Bootstrap-Finish arrived. <paramref name="candidate"/> is the configuration the bootstrap server's writes left in
    /// place. It is accepted when it validates (<see cref="Lwm2mClientConfiguration.Validate"/>) and holds at least one
    /// LwM2M server account: the engine then asks the driver to save it (<see cref="Lwm2mSaveConfiguration"/>), uses it and
    /// registers. Otherwise the answer is 4.06 with the reason and the client stays in Bootstrap, waiting (with the Finish
    /// timeout started over) for the bootstrap server to fix the configuration. Outside Bootstrap the answer is 4.06.
    /// </summary>
    /// <param name="candidate">The configuration now in place.</param>
    /// <param name="now">The current time.</param>
    public Lwm2mBootstrapFinishResult OnBootstrapFinish(Lwm2mClientConfiguration candidate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        _now = now;
        if (_phase != Phase.Bootstrap || _paused)
        {
            return Lwm2mBootstrapFinishResult.Refuse("Bootstrap-Finish is only accepted while the client is bootstrapping.");
        }

        var errors = new List<string>(candidate.Validate());
        if (candidate.ServerAccounts.Count == 0)
        {
            errors.Add("There is no LwM2M server account: a Security (0) instance that is not the bootstrap server's and a Server (1) instance with its short server id.");
        }

        if (errors.Count > 0)
        {
            var reason = string.Join(" ", errors);
            LogFinishRefused(reason);
            _bootstrapFinishDeadline = now + _options.BootstrapFinishTimeout;
            Raise(new Lwm2mBootstrapFinishRefused(now, reason));
            return Lwm2mBootstrapFinishResult.Refuse(reason);
        }

        // A Bootstrap-Request still waiting for its 2.04 (lost on the way) is settled by the Finish itself.
        CloseBootstrapConnection();
        _bootstrapAttemptAt = _bootstrapFinishDeadline = null;
        _configuration = candidate;
        _actions.Enqueue(new Lwm2mSaveConfiguration(candidate));
        Raise(new Lwm2mBootstrapTransferCompleted(now));
        Raise(new Lwm2mBootstrapped(now, candidate.ServerAccounts.Count));
        StartSessions(candidate.ServerAccounts);
        Step(now);
        return Lwm2mBootstrapFinishResult.Accept;
    }

    private void ApplyRequestBootstrap()
    {
        _bootstrapRequested = false;
        if (State == Lwm2mClientState.Bootstrap)
        {
            return;
        }

        // Every registered server is deregistered first, as Anjay does, then the client bootstraps.
        _started = true;
        BeginMove(ClientMove.Bootstrap, deregister: true);
    }

    /// <summary>Entry into Bootstrap: a fresh retry budget, the first request after the Client Hold Off Time (/0/x/11).</summary>
    private void BeginBootstrap()
    {
        _sessions.Clear();
        _bootstrapExchange = null;
        _bootstrapFailures = 0;
        _bootstrapAttempts = 0;
        _lastBootstrapCode = null;
        _bootstrapFinishDeadline = null;
        _bootstrapAccount = _configuration.BootstrapAccount;
        _bootstrapAttemptAt = _now + (_bootstrapAccount?.ClientHoldOffTime ?? TimeSpan.Zero);
    }

    private bool StepBootstrap()
    {
        if (_bootstrapAccount is null)
        {
            Fail(Lwm2mClientErrorCode.BootstrapFailed, "Bootstrap was requested but there is no bootstrap-server account (a Security (0) instance with /0/x/1 true).");
            return false;
        }

        if (_bootstrapExchange is not null)
        {
            return false;
        }

        if (_bootstrapFinishDeadline is { } deadline)
        {
            if (_now >= deadline)
            {
                LogFinishTimedOut(_options.BootstrapFinishTimeout);
                BootstrapAttemptFailed(Lwm2mDeferredReason.BootstrapSequence);
            }

            return false;
        }

        if (_bootstrapAttemptAt is not { } at || at > _now)
        {
            return false;
        }

        _bootstrapAttemptAt = null;
        _bootstrapAttempts++;
        var pct = _options.AllowedVersions.Any(v => v != Lwm2mVersion.Lwm2m10) ? _options.PreferredContentFormat : null;
        _bootstrapExchange = NextExchangeId();
        _actions.Enqueue(new Lwm2mSendRequest(_bootstrapExchange.Value, Lwm2mRequestKind.BootstrapRequest, _bootstrapAccount.ServerUri,
            BootstrapMessages.BootstrapRequest(_options.EndpointName, pct)));
        LogBootstrapRequestSent(_bootstrapAttempts, _bootstrapAccount.ServerUri);
        return false;
    }

    private void OnBootstrapRequestResponse(CoapCode code)
    {
        if (code.IsSuccess)
        {
            _bootstrapFinishDeadline = _now + _options.BootstrapFinishTimeout;
            Raise(new Lwm2mBootstrapRequestCompleted(_now, _bootstrapAccount!.ServerUri));
            return;
        }

        _lastBootstrapCode = code;
        BootstrapAttemptFailed(Lwm2mDeferredReason.BootstrapSequence);
    }

    /// <summary>One attempt failed: retry n follows after BootstrapRetryTimeout * 2^(n-1); after BootstrapRetryCount retries, Failure.</summary>
    private void BootstrapAttemptFailed(Lwm2mDeferredReason reason)
    {
        CloseBootstrapConnection();
        _bootstrapFinishDeadline = null;
        if (_bootstrapFailures >= _options.BootstrapRetryCount)
        {
            Raise(new Lwm2mBootstrapFailed(_now, _bootstrapAttempts, _lastBootstrapCode, reason));
            Fail(Lwm2mClientErrorCode.BootstrapFailed,
                $"Bootstrap with {_bootstrapAccount!.ServerUri} failed after {_bootstrapAttempts} attempt(s) ({reason}{(_lastBootstrapCode is { } c ? ", last answer " + c : string.Empty)}).");
            return;
        }

        _bootstrapFailures++;
        var ticks = Math.Min(_options.BootstrapRetryTimeout.Ticks * Math.Pow(2, _bootstrapFailures - 1), TimeSpan.FromDays(36500).Ticks);
        _bootstrapAttemptAt = _now + TimeSpan.FromTicks((long)ticks);
        Raise(new Lwm2mBootstrapDeferred(_now, reason, _bootstrapAttemptAt.Value));
    }

    /// <summary>Ends the bootstrap exchange in flight, if any, and closes the connection to the bootstrap server.</summary>
    private void CloseBootstrapConnection(bool keepContext = false)
    {
        _bootstrapExchange = null;
        if (_bootstrapAccount is { } account)
        {
            _actions.Enqueue(new Lwm2mCloseConnection(account.ServerUri, keepContext));
        }
    }

    private DateTimeOffset? BootstrapWakeUp() =>
        _bootstrapExchange is not null ? null : _bootstrapAccount is null ? _now : _bootstrapFinishDeadline ?? _bootstrapAttemptAt;

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Bootstrap-Request attempt {Attempt} sent to {ServerUri}")]
    private partial void LogBootstrapRequestSent(int attempt, string serverUri);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Bootstrap-Finish refused (4.06): {Reason}")]
    private partial void LogFinishRefused(string reason);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "No Bootstrap-Finish within {Timeout}")]
    private partial void LogFinishTimedOut(TimeSpan timeout);
}
