using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client.Engine;

public sealed partial class Lwm2mClientEngine
{
    private string[]? _location;
    private DateTimeOffset _updateDue;
    private DateTimeOffset? _lastUpdateSent;
    private DateTimeOffset _lastActivity;
    private bool _updateRequested;
    private bool _lifetimeChanged;
    private bool _objectsChanged;
    private AfterDeregister _afterDeregister;

    private enum AfterDeregister
    {
        None,
        Stop,
        Restart,
        Suspend,
        Bootstrap,
    }

    /// <summary>The location path the server assigned at Register (e.g. <c>/rd/5a3f</c>), while registered.</summary>
    public string? Location => _location is null ? null : "/" + string.Join('/', _location);

    /// <summary>Reports the response to an exchange started by <see cref="Lwm2mSendRequest"/>; stale ids are ignored.</summary>
    /// <param name="exchangeId">The exchange id.</param>
    /// <param name="code">The response code.</param>
    /// <param name="locationPath">The Location-Path segments of the response.</param>
    /// <param name="now">The current time.</param>
    public void OnResponse(long exchangeId, CoapCode code, IReadOnlyList<string> locationPath, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(locationPath);
        if (_pendingExchange != exchangeId)
        {
            return;
        }

        _now = now;
        _pendingExchange = null;
        switch (_pendingKind)
        {
            case Lwm2mRequestKind.Register:
                OnRegisterResponse(code, locationPath);
                break;
            case Lwm2mRequestKind.Update:
                OnUpdateOutcome(code, null);
                break;
            case Lwm2mRequestKind.BootstrapRequest:
                OnBootstrapRequestResponse(code);
                break;
            default:
                OnDeregisterOutcome(code.IsSuccess);
                break;
        }

        ApplyDeferredStop();
        Step(now);
    }

    /// <summary>Reports that an exchange got no response (timeout, reset or network error); stale ids are ignored.</summary>
    /// <param name="exchangeId">The exchange id.</param>
    /// <param name="reason">What the transport reported.</param>
    /// <param name="now">The current time.</param>
    public void OnExchangeFailed(long exchangeId, string reason, DateTimeOffset now)
    {
        if (_pendingExchange != exchangeId)
        {
            return;
        }

        _now = now;
        _pendingExchange = null;
        Raise(new Lwm2mNetworkError(now, _account?.Server.ShortServerId ?? BootstrapShortServerId, _pendingKind, reason));
        switch (_pendingKind)
        {
            case Lwm2mRequestKind.Register:
                RegisterAttemptFailed(Lwm2mDeferredReason.ServerConnect);
                break;
            case Lwm2mRequestKind.Update:
                OnUpdateOutcome(null, reason);
                break;
            case Lwm2mRequestKind.BootstrapRequest:
                BootstrapAttemptFailed(Lwm2mDeferredReason.BootstrapConnect);
                break;
            default:
                OnDeregisterOutcome(success: false);
                break;
        }

        ApplyDeferredStop();
        Step(now);
    }

    private void ApplyDeferredStop()
    {
        if (_stopWhenRegisterEnds)
        {
            _stopWhenRegisterEnds = false;
            ApplyStop(deregister: true);
        }
    }

    private void StartSession(IReadOnlyList<string> location)
    {
        _location = [.. location];
        _lastActivity = _now;
        _updateRequested = _lifetimeChanged = _objectsChanged = false;
        _lastUpdateSent = null;
        _afterDeregister = AfterDeregister.None;
        _registrationRefreshed = _now;
        ScheduleUpdate();
        Raise(new Lwm2mRegistered(_now, _account!.Server.ShortServerId, Location!, CurrentVersion));
        Transition(Lwm2mClientState.RegistrationSession);
    }

    /// <summary>Next periodic Update at MAX(lifetime/2, lifetime - MAX_TRANSMIT_WAIT), capped by the optional Update period; none for lifetime 0.</summary>
    private void ScheduleUpdate()
    {
        var lifetime = _account!.Server.Lifetime;
        var interval = lifetime == TimeSpan.Zero
            ? TimeSpan.MaxValue
            : TimeSpan.FromTicks(Math.Max(lifetime.Ticks / 2, (lifetime - _options.Transmission.MaxTransmitWait).Ticks));
        if (_options.UpdatePeriod is { } period && period < interval)
        {
            interval = period;
        }

        _updateDue = interval == TimeSpan.MaxValue ? DateTimeOffset.MaxValue : _now + interval;
    }

    private DateTimeOffset? TriggeredUpdateAt() =>
        !_updateRequested ? null : _lastUpdateSent is { } last && last + _options.UpdateFloodGuard > _now ? last + _options.UpdateFloodGuard : _now;

    private bool UpdateIsDue() => _now >= _updateDue || TriggeredUpdateAt() <= _now || _afterDeregister != AfterDeregister.None;

    private bool StepSession()
    {
        if (_pendingExchange is not null)
        {
            return false;
        }

        if (_afterDeregister != AfterDeregister.None)
        {
            Send(Lwm2mRequestKind.Deregister, RegistrationMessages.Deregister(_location!));
            return false;
        }

        if (UpdateIsDue())
        {
            var lifetime = _lifetimeChanged ? _account!.Server.Lifetime : (TimeSpan?)null;
            var objects = _objectsChanged ? _objects : null;
            _updateRequested = _lifetimeChanged = _objectsChanged = false;
            _lastUpdateSent = _now;
            _lastActivity = _now;
            Send(Lwm2mRequestKind.Update, RegistrationMessages.Update(_location!, lifetime, objects, _options.PreferredContentFormat));
            return false;
        }

        if (_account!.Server.QueueMode && _now >= _lastActivity + _options.EffectiveQueueModeTimeout)
        {
            CloseConnection(keepContext: true);
            Raise(new Lwm2mQueueModeRxOff(_now, _account.Server.ShortServerId));
            Transition(Lwm2mClientState.QueueMode);
        }

        return false;
    }

    private bool StepQueueMode()
    {
        if (!UpdateIsDue())
        {
            return false;
        }

        // Something must be sent: reconnect (the driver opens the connection on the next send) and go back to the session.
        Transition(Lwm2mClientState.RegistrationSession);
        return true;
    }

    private DateTimeOffset? SessionWakeUp(bool queueTimeout)
    {
        var wake = _updateDue;
        if (TriggeredUpdateAt() is { } triggered && triggered < wake)
        {
            wake = triggered;
        }

        if (queueTimeout && _account!.Server.QueueMode && _lastActivity + _options.EffectiveQueueModeTimeout < wake)
        {
            wake = _lastActivity + _options.EffectiveQueueModeTimeout;
        }

        return wake == DateTimeOffset.MaxValue ? null : wake;
    }

    private void OnUpdateOutcome(CoapCode? code, string? networkError)
    {
        var ssid = _account!.Server.ShortServerId;
        if (code is { IsSuccess: true })
        {
            _lastActivity = _now;
            _registrationRefreshed = _now;
            ScheduleUpdate();
            Raise(new Lwm2mUpdateCompleted(_now, ssid));
            return;
        }

        if (code is { } failed)
        {
            Raise(new Lwm2mRegistrationTimedOut(_now, ssid, failed));
        }

        LogUpdateFailed(code?.ToString() ?? networkError ?? "unknown");
        CloseConnection(keepContext: false);
        Transition(Lwm2mClientState.Registration);
    }

    private void OnDeregisterOutcome(bool success)
    {
        var ssid = _account!.Server.ShortServerId;
        Raise(success ? new Lwm2mDeregistered(_now, ssid) : new Lwm2mDeregisterFailed(_now, ssid));
        var next = _afterDeregister;
        _afterDeregister = AfterDeregister.None;
        _location = null;
        CloseConnection(keepContext: next == AfterDeregister.Suspend);
        switch (next)
        {
            case AfterDeregister.Suspend:
                EnterSuspended();
                break;
            case AfterDeregister.Stop:
                _started = false;
                Transition(Lwm2mClientState.Initial);
                break;
            case AfterDeregister.Bootstrap:
                Transition(Lwm2mClientState.Bootstrap);
                break;
            default:
                Transition(Lwm2mClientState.Initial);
                break;
        }
    }

    private bool IsRegistered => State is Lwm2mClientState.RegistrationSession or Lwm2mClientState.QueueMode;

    private void ApplyStop(bool deregister)
    {
        if (deregister && _pendingExchange is not null && _pendingKind == Lwm2mRequestKind.Register)
        {
            // The server may already hold the registration: wait for the Register outcome, then stop (deregistering
            // if it succeeded) rather than leave a registration behind until its lifetime runs out.
            _stopWhenRegisterEnds = true;
            return;
        }

        if (IsRegistered && deregister)
        {
            RequestDeregister(AfterDeregister.Stop);
            return;
        }

        LeaveWithoutDeregister();
        _serverDisabledUntil = _userDisabledUntil = null;
        _started = false;
        Transition(Lwm2mClientState.Initial);
    }

    private void ApplyRestart()
    {
        _started = true;
        _versionIndex = 0;
        if (IsRegistered)
        {
            RequestDeregister(AfterDeregister.Restart);
            return;
        }

        LeaveWithoutDeregister();

        // Restart ends any suspension: the timers must not linger into the next start.
        _serverDisabledUntil = _userDisabledUntil = null;
        Transition(Lwm2mClientState.Initial);
    }

    private void RequestDeregister(AfterDeregister next)
    {
        _afterDeregister = next;
        if (State == Lwm2mClientState.QueueMode)
        {
            Transition(Lwm2mClientState.RegistrationSession);
        }
    }

    private void LeaveWithoutDeregister()
    {
        if (_pendingExchange is not null || State is Lwm2mClientState.Bootstrap or Lwm2mClientState.Registration or Lwm2mClientState.RegistrationSession)
        {
            CloseConnection(keepContext: false);
        }

        _location = null;
        _afterDeregister = AfterDeregister.None;
    }

    private void ApplyObjects(IReadOnlyList<Lwm2mObjectAdvert> objects)
    {
        if (objects.SequenceEqual(_objects))
        {
            return;
        }

        _objects = objects;
        if (IsRegistered)
        {
            _objectsChanged = _updateRequested = true;
        }
    }

    private void ApplyServerInstance(Lwm2mServerInstance server)
    {
        var old = _configuration.Servers.FirstOrDefault(s => s.InstanceId == server.InstanceId);
        _configuration = new Lwm2mClientConfiguration(_configuration.Securities,
            _configuration.Servers.Where(s => s.InstanceId != server.InstanceId).Append(server), _configuration.AccessControls);
        if (_account is null || _account.Server.InstanceId != server.InstanceId)
        {
            return;
        }

        _account = _account with { Server = server };
        if (IsRegistered && old is not null && old.Lifetime != server.Lifetime)
        {
            // A new lifetime is announced at once and the periodic schedule follows the new value.
            _lifetimeChanged = true;
            _updateRequested = true;
            _lastUpdateSent = null;
            ScheduleUpdate();
        }
    }
}
