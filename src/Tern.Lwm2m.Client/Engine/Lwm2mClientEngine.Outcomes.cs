using Tern.Coap.Messages;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>Exchange outcomes, routed by exchange id to the bootstrap exchange or to the session that sent the request.</summary>
public sealed partial class Lwm2mClientEngine
{
    /// <summary>Reports the response to an exchange started by <see cref="Lwm2mSendRequest"/>; stale ids are ignored.</summary>
    /// <param name="exchangeId">The exchange id.</param>
    /// <param name="code">The response code.</param>
    /// <param name="locationPath">The Location-Path segments of the response.</param>
    /// <param name="now">The current time.</param>
    public void OnResponse(long exchangeId, CoapCode code, IReadOnlyList<string> locationPath, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(locationPath);
        if (_bootstrapExchange == exchangeId)
        {
            _now = now;
            _bootstrapExchange = null;
            OnBootstrapRequestResponse(code);
            Step(now);
            return;
        }

        if (FindPending(exchangeId) is not { } session)
        {
            return;
        }

        _now = now;
        session.Pending = null;
        switch (session.PendingKind)
        {
            case Lwm2mRequestKind.Register when session.StopWhenRegisterEnds:
                OnRegisterEndedWhileStopping(session, code == CoapCode.Created && locationPath.Count > 0 ? locationPath : null);
                break;
            case Lwm2mRequestKind.Register:
                OnRegisterResponse(session, code, locationPath);
                break;
            case Lwm2mRequestKind.Update:
                OnUpdateOutcome(session, code, null);
                break;
            default:
                OnDeregisterOutcome(session, code.IsSuccess);
                break;
        }

        Step(now);
    }

    /// <summary>Reports that an exchange got no response (timeout, reset or network error); stale ids are ignored.</summary>
    /// <param name="exchangeId">The exchange id.</param>
    /// <param name="reason">What the transport reported.</param>
    /// <param name="now">The current time.</param>
    public void OnExchangeFailed(long exchangeId, string reason, DateTimeOffset now)
    {
        if (_bootstrapExchange == exchangeId)
        {
            _now = now;
            _bootstrapExchange = null;
            Raise(new Lwm2mNetworkError(now, BootstrapShortServerId, Lwm2mRequestKind.BootstrapRequest, reason));
            BootstrapAttemptFailed(Lwm2mDeferredReason.BootstrapConnect);
            Step(now);
            return;
        }

        if (FindPending(exchangeId) is not { } session)
        {
            return;
        }

        _now = now;
        session.Pending = null;
        Raise(new Lwm2mNetworkError(now, session.ShortServerId, session.PendingKind, reason));
        switch (session.PendingKind)
        {
            case Lwm2mRequestKind.Register when session.StopWhenRegisterEnds:
                OnRegisterEndedWhileStopping(session, null);
                break;
            case Lwm2mRequestKind.Register:
                RegisterAttemptFailed(session, Lwm2mDeferredReason.ServerConnect);
                break;
            case Lwm2mRequestKind.Update:
                OnUpdateOutcome(session, null, reason);
                break;
            default:
                OnDeregisterOutcome(session, success: false);
                break;
        }

        Step(now);
    }

    /// <summary>The session whose exchange this is; a plain loop, as it runs on every Update's outcome.</summary>
    private ServerSession? FindPending(long exchangeId)
    {
        foreach (var session in _sessions)
        {
            if (session.Pending == exchangeId)
            {
                return session;
            }
        }

        return null;
    }

    /// <summary>
    /// A graceful stop waited for this Register: a registration the server now holds is deregistered at once; without
    /// one the session simply leaves.
    /// </summary>
    private void OnRegisterEndedWhileStopping(ServerSession session, IReadOnlyList<string>? location)
    {
        session.StopWhenRegisterEnds = false;
        if (location is not null)
        {
            StartSession(session, location);
            RequestDeregister(session, AfterDeregister.Leave);
            return;
        }

        HoldPublish();
        LeaveWithoutDeregister(session);
        SetState(session, Lwm2mClientState.Initial);
        TryCompleteMove();
        ReleasePublish();
    }

    private void OnDeregisterOutcome(ServerSession session, bool success)
    {
        var ssid = session.ShortServerId;
        Raise(success ? new Lwm2mDeregistered(_now, ssid) : new Lwm2mDeregisterFailed(_now, ssid));
        var next = session.AfterDeregister;
        session.AfterDeregister = AfterDeregister.None;
        session.Location = null;
        CloseConnection(session, keepContext: next == AfterDeregister.Suspend);
        if (next == AfterDeregister.Suspend)
        {
            EnterSuspended(session);
            return;
        }

        // The client-wide move this session was leaving for goes ahead once no other session holds it back.
        HoldPublish();
        SetState(session, Lwm2mClientState.Initial);
        TryCompleteMove();
        ReleasePublish();
    }

    private void OnUpdateOutcome(ServerSession session, CoapCode? code, string? networkError)
    {
        var ssid = session.ShortServerId;
        if (code is { IsSuccess: true })
        {
            session.LastActivity = _now;
            session.RegistrationRefreshed = _now;
            ScheduleUpdate(session);
            Raise(new Lwm2mUpdateCompleted(_now, ssid));
            return;
        }

        if (code is { } failed)
        {
            Raise(new Lwm2mRegistrationTimedOut(_now, ssid, failed));
        }

        LogUpdateFailed(ssid, code?.ToString() ?? networkError ?? "unknown");
        CloseConnection(session, keepContext: false);
        session.Location = null;
        var next = session.AfterDeregister;
        session.AfterDeregister = AfterDeregister.None;
        if (next == AfterDeregister.Suspend)
        {
            // Disabled while the Update was in flight: the registration is gone anyway, so suspend without a Deregister.
            EnterSuspended(session);
            return;
        }

        if (next == AfterDeregister.Leave)
        {
            HoldPublish();
            SetState(session, Lwm2mClientState.Initial);
            TryCompleteMove();
            ReleasePublish();
            return;
        }

        SetState(session, Lwm2mClientState.Registration);
    }
}
