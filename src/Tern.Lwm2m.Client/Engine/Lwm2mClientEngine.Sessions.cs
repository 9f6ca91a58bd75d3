using Tern.Lwm2m.Client.Configuration;

namespace Tern.Lwm2m.Client.Engine;

/// <summary>
/// The client's phase and its server sessions: the one place where states change (<see cref="SetPhase"/> for the
/// client, <see cref="SetState"/> for a session), the published <see cref="State"/>, and the client-wide moves (stop,
/// restart, bootstrap) that first let every registered session deregister.
/// </summary>
public sealed partial class Lwm2mClientEngine
{
    private readonly List<ServerSession> _sessions = [];
    private Phase _phase = Phase.Initial;
    private ClientMove _move;
    private int _publishHold;

    /// <summary>What the client as a whole is doing; in <see cref="Phase.Servers"/> each session has its own state.</summary>
    private enum Phase
    {
        Initial,
        Bootstrap,
        Servers,
        Suspended,
        Failure,
    }

    /// <summary>A client-wide move waiting for the sessions to deregister.</summary>
    private enum ClientMove
    {
        None,
        Stop,
        Restart,
        Bootstrap,
    }

    /// <summary>The short server ids of the servers the client has sessions with, primary first (empty while bootstrapping).</summary>
    public IReadOnlyList<ushort> ServerIds => [.. _sessions.Select(s => s.ShortServerId)];

    /// <summary>
    /// The state of one server's session (Initial, Registration, RegistrationSession, QueueMode, Suspended or Failure),
    /// or null when the client has no session with that server (not configured, or the client is bootstrapping or at rest).
    /// </summary>
    /// <param name="shortServerId">The server.</param>
    public Lwm2mClientState? GetServerState(ushort shortServerId) => FindSession(shortServerId)?.State;

    /// <summary>The location path one server assigned at Register, while registered with it.</summary>
    /// <param name="shortServerId">The server.</param>
    public string? GetLocation(ushort shortServerId) => FindSession(shortServerId)?.LocationText;

    private ServerSession? Primary => _sessions.Count > 0 ? _sessions[0] : null;

    // A plain loop: this runs for every notification (queue-mode check), and a capturing lambda would allocate each time.
    private ServerSession? FindSession(ushort shortServerId)
    {
        foreach (ServerSession session in _sessions)
        {
            if (session.ShortServerId == shortServerId)
            {
                return session;
            }
        }

        return null;
    }

    private Lwm2mClientState PublishedState() => _phase switch
    {
        Phase.Bootstrap => Lwm2mClientState.Bootstrap,
        Phase.Suspended => Lwm2mClientState.Suspended,
        Phase.Failure => Lwm2mClientState.Failure,
        Phase.Servers when Primary is { } primary => primary.State,
        _ => Lwm2mClientState.Initial,
    };

    /// <summary>
    /// Publishes <see cref="State"/>: logs "From -> To" and raises <see cref="Lwm2mStateChanged"/> when it changed. Held
    /// while one move changes a session and the phase together, so a single server shows one transition, not two.
    /// </summary>
    private void Publish()
    {
        var to = PublishedState();
        if (_publishHold > 0 || to == State)
        {
            return;
        }

        var from = State;
        State = to;
        LogTransition(from, to);
        Raise(new Lwm2mStateChanged(_now, from, to));
    }

    private void HoldPublish() => _publishHold++;

    private void ReleasePublish()
    {
        _publishHold--;
        Publish();
    }

    private void SetPhase(Phase to)
    {
        if (_phase == to)
        {
            return;
        }

        _phase = to;
        if (to is Phase.Initial or Phase.Bootstrap or Phase.Suspended)
        {
            _sessions.Clear();
        }

        Publish();
        if (to == Phase.Bootstrap)
        {
            BeginBootstrap();
        }
    }

    /// <summary>The one place where a session's state changes: logged, raised as <see cref="Lwm2mServerStateChanged"/>, published.</summary>
    private void SetState(ServerSession session, Lwm2mClientState to)
    {
        var from = session.State;
        if (from == to)
        {
            return;
        }

        session.State = to;
        LogServerTransition(session.ShortServerId, from, to);
        Raise(new Lwm2mServerStateChanged(_now, session.ShortServerId, from, to));
        Publish();
        if (to == Lwm2mClientState.Registration)
        {
            BeginRegistrationSequence(session);
        }
    }

    /// <summary>One session per server account, each starting its registration at once.</summary>
    private void StartSessions(IReadOnlyList<Lwm2mServerAccount> accounts)
    {
        HoldPublish();
        _sessions.Clear();
        _sessions.AddRange(accounts.Select(a => new ServerSession(a)));
        _phase = Phase.Servers;
        foreach (var session in _sessions)
        {
            SetState(session, Lwm2mClientState.Registration);
        }

        ReleasePublish();
    }

    private bool StepSessions()
    {
        var progressed = false;
        for (var i = 0; i < _sessions.Count && _phase == Phase.Servers; i++)
        {
            progressed |= StepSession(_sessions[i]);
        }

        return TryCompleteMove() || progressed;
    }

    private bool StepSession(ServerSession session)
    {
        if (_move != ClientMove.None && !session.IsRegistered)
        {
            // Waiting for the other sessions to deregister before the client moves on.
            return false;
        }

        return session.State switch
        {
            Lwm2mClientState.Initial => StepSessionInitial(session),
            Lwm2mClientState.Registration => StepRegistration(session),
            Lwm2mClientState.RegistrationSession => StepRegistered(session),
            Lwm2mClientState.QueueMode => StepQueueMode(session),
            Lwm2mClientState.Suspended => StepSuspended(session),
            _ => false,
        };
    }

    /// <summary>Back from a suspension: register again (the session's Initial validates nothing more than the account it has).</summary>
    private bool StepSessionInitial(ServerSession session)
    {
        if (!_started)
        {
            return false;
        }

        SetState(session, Lwm2mClientState.Registration);
        return true;
    }

    private DateTimeOffset? SessionsWakeUp()
    {
        DateTimeOffset? wake = null;
        foreach (var session in _sessions)
        {
            var at = _move != ClientMove.None && !session.IsRegistered ? null : session.State switch
            {
                Lwm2mClientState.Initial => _started ? _now : null,
                Lwm2mClientState.Registration => session.Pending is null ? session.AttemptAt : null,
                Lwm2mClientState.RegistrationSession => session.Pending is null ? SessionWakeUp(session, queueTimeout: true) : null,
                Lwm2mClientState.QueueMode => SessionWakeUp(session, queueTimeout: false),
                Lwm2mClientState.Suspended => SuspendWakeUp(session),
                _ => null,
            };
            if (at is { } due && (wake is null || due < wake))
            {
                wake = due;
            }
        }

        return wake;
    }

    private void ApplyStop(bool deregister) => BeginMove(ClientMove.Stop, deregister);

    private void ApplyRestart()
    {
        _started = true;
        BeginMove(ClientMove.Restart, deregister: true);
    }

    /// <summary>
    /// A client-wide move: registered sessions deregister first (unless <paramref name="deregister"/> is false), a
    /// Register in flight is waited for on a graceful stop (the server may already hold the registration) and abandoned
    /// otherwise, and the rest leave at once. The move completes when no session is registered or has an exchange in flight.
    /// </summary>
    private void BeginMove(ClientMove move, bool deregister)
    {
        HoldPublish();
        _move = move;
        _clientDisabledUntil = null;
        if (_phase == Phase.Bootstrap)
        {
            CloseBootstrapConnection();
        }

        foreach (var session in _sessions)
        {
            session.ServerDisabledUntil = session.UserDisabledUntil = null;
            if (deregister && session.IsRegistered)
            {
                RequestDeregister(session, AfterDeregister.Leave);
            }
            else if (deregister && move == ClientMove.Stop && session.Pending is not null && session.PendingKind == Lwm2mRequestKind.Register)
            {
                session.StopWhenRegisterEnds = true;
            }
            else if (!(deregister && session.Pending is not null && session.PendingKind == Lwm2mRequestKind.Deregister))
            {
                LeaveWithoutDeregister(session);
                SetState(session, Lwm2mClientState.Initial);
            }
        }

        TryCompleteMove();
        ReleasePublish();
    }

    private bool TryCompleteMove()
    {
        if (_move == ClientMove.None || _sessions.Exists(s => s.IsRegistered || s.Pending is not null))
        {
            return false;
        }

        var move = _move;
        _move = ClientMove.None;
        if (move == ClientMove.Stop)
        {
            _started = false;
        }

        SetPhase(move == ClientMove.Bootstrap ? Phase.Bootstrap : Phase.Initial);
        return true;
    }

    private void LeaveWithoutDeregister(ServerSession session)
    {
        if (session.Pending is not null || session.State is Lwm2mClientState.Registration or Lwm2mClientState.RegistrationSession)
        {
            CloseConnection(session, keepContext: false);
        }

        session.Location = null;
        session.AfterDeregister = AfterDeregister.None;
        session.StopWhenRegisterEnds = false;
    }
}
