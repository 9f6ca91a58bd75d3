using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>
/// RegistrationSession and QueueMode of one server's session: the Update schedule, triggered Updates behind the flood
/// guard, queue mode going quiet and waking, and the Deregister that precedes a suspension or a client-wide move.
/// </summary>
public sealed partial class Lwm2mClientEngine
{
    /// <summary>The location path the primary server assigned at Register (e.g. <c>/rd/5a3f</c>), while registered.</summary>
    public string? Location => Primary?.LocationText;

    /// <summary>
    /// Reporting work (a notification or a Send) waits for this server. In QueueMode the session reconnects at once,
    /// beginning with an Update (seed 001: keep evaluating, reconnect and return to RegistrationSession when there is
    /// something to send); the driver delivers the work once the Update succeeded. Otherwise nothing happens.
    /// </summary>
    /// <param name="shortServerId">The server.</param>
    public void OnReportingPending(ushort shortServerId) => _requests.Enqueue(() =>
    {
        if (FindSession(shortServerId) is { State: Lwm2mClientState.QueueMode } session)
        {
            session.WakeRequested = true;
        }
    });

    private void StartSession(ServerSession session, IReadOnlyList<string> location)
    {
        session.Location = [.. location];
        session.LastActivity = _now;

        // An Update asked while the Register was in flight is folded into it; only what changed after the Register
        // was built (objects, lifetime) still needs one.
        session.ObjectsChanged = session.RegisterStaleObjects;
        session.LifetimeChanged = session.RegisterStaleLifetime;
        session.UpdateRequested = session.ObjectsChanged || session.LifetimeChanged;
        session.RegisterStaleObjects = session.RegisterStaleLifetime = false;
        session.WakeRequested = false;
        session.LastUpdateSent = null;
        session.AfterDeregister = AfterDeregister.None;
        session.RegistrationRefreshed = _now;
        ScheduleUpdate(session);
        Raise(new Lwm2mRegistered(_now, session.ShortServerId, session.LocationText!, Version(session)));
        SetState(session, Lwm2mClientState.RegistrationSession);
    }

    /// <summary>Next periodic Update at MAX(lifetime/2, lifetime - MAX_TRANSMIT_WAIT), capped by the optional Update period; none for lifetime 0.</summary>
    private void ScheduleUpdate(ServerSession session)
    {
        var lifetime = session.Account.Server.Lifetime;
        var interval = lifetime == TimeSpan.Zero
            ? TimeSpan.MaxValue
            : TimeSpan.FromTicks(Math.Max(lifetime.Ticks / 2, (lifetime - _options.Transmission.MaxTransmitWait).Ticks));
        if (_options.UpdatePeriod is { } period && period < interval)
        {
            interval = period;
        }

        session.UpdateDue = interval == TimeSpan.MaxValue ? DateTimeOffset.MaxValue : _now + interval;
    }

    private DateTimeOffset? TriggeredUpdateAt(ServerSession session) =>
        session.WakeRequested ? _now
        : !session.UpdateRequested ? null
        : session.LastUpdateSent is { } last && last + _options.UpdateFloodGuard > _now ? last + _options.UpdateFloodGuard : _now;

    private bool UpdateIsDue(ServerSession session) =>
        _now >= session.UpdateDue || TriggeredUpdateAt(session) <= _now || session.AfterDeregister != AfterDeregister.None;

    private bool StepRegistered(ServerSession session)
    {
        if (session.Pending is not null)
        {
            return false;
        }

        if (session.AfterDeregister != AfterDeregister.None)
        {
            Send(session, Lwm2mRequestKind.Deregister, RegistrationMessages.Deregister(session.Location!));
            return false;
        }

        if (UpdateIsDue(session))
        {
            var lifetime = session.LifetimeChanged ? session.Account.Server.Lifetime : (TimeSpan?)null;
            var objects = session.ObjectsChanged ? _objects : null;
            session.UpdateRequested = session.LifetimeChanged = session.ObjectsChanged = session.WakeRequested = false;
            session.LastUpdateSent = _now;
            session.LastActivity = _now;
            Send(session, Lwm2mRequestKind.Update, RegistrationMessages.Update(session.Location!, lifetime, objects, _options.PreferredContentFormat));
            return false;
        }

        if (session.Account.Server.QueueMode && _now >= session.LastActivity + _options.EffectiveQueueModeTimeout)
        {
            CloseConnection(session, keepContext: true);
            Raise(new Lwm2mQueueModeRxOff(_now, session.ShortServerId));
            SetState(session, Lwm2mClientState.QueueMode);
        }

        return false;
    }

    private bool StepQueueMode(ServerSession session)
    {
        if (!UpdateIsDue(session))
        {
            return false;
        }

        // Something must be sent: reconnect (the driver opens the connection on the next send) and go back to the session.
        SetState(session, Lwm2mClientState.RegistrationSession);
        return true;
    }

    private DateTimeOffset? SessionWakeUp(ServerSession session, bool queueTimeout)
    {
        var wake = session.UpdateDue;
        if (TriggeredUpdateAt(session) is { } triggered && triggered < wake)
        {
            wake = triggered;
        }

        if (session.AfterDeregister != AfterDeregister.None)
        {
            wake = _now;
        }

        if (queueTimeout && session.Account.Server.QueueMode && session.LastActivity + _options.EffectiveQueueModeTimeout < wake)
        {
            wake = session.LastActivity + _options.EffectiveQueueModeTimeout;
        }

        return wake == DateTimeOffset.MaxValue ? null : wake;
    }

    private void RequestDeregister(ServerSession session, AfterDeregister next)
    {
        session.AfterDeregister = next;
        if (session.State == Lwm2mClientState.QueueMode)
        {
            SetState(session, Lwm2mClientState.RegistrationSession);
        }
    }

    private void ApplyObjects(IReadOnlyList<Lwm2mObjectAdvert> objects)
    {
        if (objects.SequenceEqual(_objects))
        {
            return;
        }

        _objects = objects;
        foreach (var session in _sessions)
        {
            if (session.IsRegistered)
            {
                session.ObjectsChanged = session.UpdateRequested = true;
            }
            else if (session.Pending is not null && session.PendingKind == Lwm2mRequestKind.Register)
            {
                // The Register on its way lists the old objects: announce the new ones once it succeeded.
                session.RegisterStaleObjects = true;
            }
        }
    }

    private void ApplyServerInstance(Lwm2mServerInstance server)
    {
        var old = _configuration.Servers.FirstOrDefault(s => s.InstanceId == server.InstanceId);
        _configuration = new Lwm2mClientConfiguration(_configuration.Securities,
            _configuration.Servers.Where(s => s.InstanceId != server.InstanceId).Append(server), _configuration.AccessControls);
        if (_sessions.Find(s => s.Account.Server.InstanceId == server.InstanceId) is not { } session)
        {
            return;
        }

        session.Account = session.Account with { Server = server };
        if (old is null || old.Lifetime == server.Lifetime)
        {
            return;
        }

        if (session.IsRegistered)
        {
            // A new lifetime is announced at once and the periodic schedule follows the new value.
            session.LifetimeChanged = true;
            session.UpdateRequested = true;
            session.LastUpdateSent = null;
            ScheduleUpdate(session);
        }
        else if (session.Pending is not null && session.PendingKind == Lwm2mRequestKind.Register)
        {
            session.RegisterStaleLifetime = true;
        }
    }
}
