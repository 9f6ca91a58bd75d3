using Microsoft.Extensions.Logging;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>
/// Suspended: per session, the server-triggered (/1/x/4 for /1/x/5) and the application-triggered suspension run
/// separate timers and the session registers again only when both expired. An application disable while the client
/// has no session (not started, bootstrapping, failed) suspends the client as a whole, which then starts over from Initial.
/// </summary>
public sealed partial class Lwm2mClientEngine
{
    private DateTimeOffset? _clientDisabledUntil;

    /// <summary>When the client (or its primary server's session) leaves Suspended, or null when it stays until the application acts (or is not suspended).</summary>
    public DateTimeOffset? SuspendedUntil => State != Lwm2mClientState.Suspended ? null
        : _phase == Phase.Suspended ? (_clientDisabledUntil == DateTimeOffset.MaxValue ? null : _clientDisabledUntil)
        : Primary is { } primary ? SuspendWakeUp(primary) : null;

    private void ApplyUserDisable(ushort? shortServerId, TimeSpan? duration)
    {
        var until = duration is { } d ? _now + d : DateTimeOffset.MaxValue;
        if (_phase != Phase.Servers)
        {
            if (shortServerId is null)
            {
                SuspendClient(until);
            }

            return;
        }

        foreach (var session in _sessions.Where(s => shortServerId is null || s.ShortServerId == shortServerId).ToList())
        {
            if (session.State != Lwm2mClientState.Failure)
            {
                session.UserDisabledUntil = until;
                DisableSession(session);
            }
        }
    }

    private void ApplyServerDisable(ushort? shortServerId)
    {
        if (shortServerId is not { } ssid || FindSession(ssid) is not { } session || session.State == Lwm2mClientState.Failure)
        {
            return;
        }

        session.ServerDisabledUntil = _now + session.Account.Server.DisableTimeout;
        DisableSession(session);
    }

    private void DisableSession(ServerSession session)
    {
        if (session.State == Lwm2mClientState.Suspended)
        {
            RaiseServerDisabled(session);
            return;
        }

        if (session.IsRegistered)
        {
            RequestDeregister(session, AfterDeregister.Suspend);
            return;
        }

        LeaveWithoutDeregister(session);
        EnterSuspended(session);
    }

    private void SuspendClient(DateTimeOffset until)
    {
        _clientDisabledUntil = until;
        if (_phase == Phase.Bootstrap)
        {
            CloseBootstrapConnection();
        }

        Raise(new Lwm2mServerDisabled(_now, 0, until == DateTimeOffset.MaxValue ? null : until));
        SetPhase(Phase.Suspended);
    }

    private bool StepClientSuspended()
    {
        if (_clientDisabledUntil is { } until && until > _now)
        {
            return false;
        }

        _clientDisabledUntil = null;
        _started = true;
        SetPhase(Phase.Initial);
        return true;
    }

    private void EnterSuspended(ServerSession session)
    {
        RaiseServerDisabled(session);
        SetState(session, Lwm2mClientState.Suspended);
    }

    private void RaiseServerDisabled(ServerSession session) =>
        Raise(new Lwm2mServerDisabled(_now, session.ShortServerId, SuspendWakeUp(session)));

    /// <summary>Both timers must have expired; an indefinite one keeps the session suspended.</summary>
    private DateTimeOffset? SuspendWakeUp(ServerSession session)
    {
        var latest = Max(session.ServerDisabledUntil, session.UserDisabledUntil);
        return latest == DateTimeOffset.MaxValue ? null : latest ?? _now;
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private bool StepSuspended(ServerSession session)
    {
        var latest = Max(session.ServerDisabledUntil, session.UserDisabledUntil);
        if (latest is { } until && until > _now)
        {
            return false;
        }

        session.ServerDisabledUntil = session.UserDisabledUntil = null;
        _started = true;
        SetState(session, Lwm2mClientState.Initial);
        return true;
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Register to server {ShortServerId}: attempt {Attempt} of sequence {Sequence} sent ({Version})")]
    private partial void LogRegisterSent(ushort shortServerId, uint attempt, uint sequence, Lwm2mVersion version);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Update to server {ShortServerId} failed ({Reason}); registering again")]
    private partial void LogUpdateFailed(ushort shortServerId, string reason);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "Server {ShortServerId} failed: {Reason} The other servers go on.")]
    private partial void LogServerFailed(ushort shortServerId, string reason);
}
