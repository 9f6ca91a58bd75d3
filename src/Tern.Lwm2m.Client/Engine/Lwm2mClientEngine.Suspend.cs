using Microsoft.Extensions.Logging;

namespace Tern.Lwm2m.Client.Engine;

public sealed partial class Lwm2mClientEngine
{
    // Server- and application-triggered suspensions run separate timers; MaxValue means indefinitely, null means not set.
    private DateTimeOffset? _serverDisabledUntil;
    private DateTimeOffset? _userDisabledUntil;

    /// <summary>When the client leaves Suspended, or null when it stays until the application acts (or is not suspended).</summary>
    public DateTimeOffset? SuspendedUntil => State == Lwm2mClientState.Suspended ? SuspendWakeUp() : null;

    private void ApplyDisable(bool user, TimeSpan? duration)
    {
        if (!user && _account is null)
        {
            return;
        }

        var until = user
            ? duration is { } d ? _now + d : DateTimeOffset.MaxValue
            : _now + _account!.Server.DisableTimeout;
        if (user)
        {
            _userDisabledUntil = until;
        }
        else
        {
            _serverDisabledUntil = until;
        }

        if (State == Lwm2mClientState.Suspended)
        {
            RaiseServerDisabled();
            return;
        }

        if (IsRegistered)
        {
            RequestDeregister(AfterDeregister.Suspend);
            return;
        }

        LeaveWithoutDeregister();
        EnterSuspended();
    }

    private void EnterSuspended()
    {
        RaiseServerDisabled();
        Transition(Lwm2mClientState.Suspended);
    }

    private void RaiseServerDisabled()
    {
        var wake = SuspendWakeUp();
        Raise(new Lwm2mServerDisabled(_now, _account?.Server.ShortServerId ?? 0, wake));
    }

    /// <summary>Both timers must have expired; an indefinite one keeps the client here.</summary>
    private DateTimeOffset? SuspendWakeUp()
    {
        var latest = Max(_serverDisabledUntil, _userDisabledUntil);
        return latest == DateTimeOffset.MaxValue ? null : latest ?? _now;
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private bool StepSuspended()
    {
        var latest = Max(_serverDisabledUntil, _userDisabledUntil);
        if (latest is { } until && until > _now)
        {
            return false;
        }

        _serverDisabledUntil = _userDisabledUntil = null;
        _started = true;
        Transition(Lwm2mClientState.Initial);
        return true;
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Register attempt {Attempt} of sequence {Sequence} sent ({Version})")]
    private partial void LogRegisterSent(uint attempt, uint sequence, Lwm2mVersion version);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Update failed ({Reason}); registering again")]
    private partial void LogUpdateFailed(string reason);
}
