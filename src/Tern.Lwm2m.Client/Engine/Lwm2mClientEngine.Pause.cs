namespace Tern.Lwm2m.Client.Engine;

public sealed partial class Lwm2mClientEngine
{
    private bool _paused;

    /// <summary>Whether the application paused the engine (Zephyr's <c>lwm2m_engine_pause</c>).</summary>
    public bool IsPaused => _paused;

    /// <summary>
    /// Pauses the engine: the exchanges in progress are abandoned, the connections closed (context kept) and nothing
    /// is sent or scheduled until <see cref="Resume"/>. No state changes.
    /// </summary>
    public void Pause() => _requests.Enqueue(ApplyPause);

    /// <summary>
    /// Resumes a paused engine: a registration whose lifetime ran out while paused is made again, a live one is
    /// refreshed with an Update at once; Registration retries the attempt it abandoned. Each server on its own.
    /// </summary>
    public void Resume() => _requests.Enqueue(ApplyResume);

    private void ApplyPause()
    {
        if (_paused)
        {
            return;
        }

        _paused = true;
        if (_phase == Phase.Bootstrap)
        {
            CloseBootstrapConnection(keepContext: true);
        }

        foreach (var session in _sessions)
        {
            if (session.Pending is not null || session.IsRegistered || session.State == Lwm2mClientState.Registration)
            {
                CloseConnection(session, keepContext: true);
            }
        }

        Raise(new Lwm2mEngineSuspended(_now));
    }

    private void ApplyResume()
    {
        if (!_paused)
        {
            return;
        }

        _paused = false;
        Raise(new Lwm2mEngineResumed(_now));
        if (_phase == Phase.Bootstrap)
        {
            // The bootstrap session was cut off by the pause: start it over without counting a failure.
            _bootstrapFinishDeadline = null;
            _bootstrapAttemptAt = _now;
            return;
        }

        foreach (var session in _sessions)
        {
            ResumeSession(session);
        }
    }

    private void ResumeSession(ServerSession session)
    {
        if (session.State == Lwm2mClientState.Registration)
        {
            session.AttemptAt ??= _now;
            return;
        }

        if (!session.IsRegistered)
        {
            return;
        }

        var lifetime = session.Account.Server.Lifetime;
        if (lifetime > TimeSpan.Zero && _now >= session.RegistrationRefreshed + lifetime)
        {
            // The server has forgotten us by now: register from scratch.
            session.Location = null;
            SetState(session, Lwm2mClientState.Registration);
            return;
        }

        session.UpdateRequested = true;
        session.LastUpdateSent = null;
    }
}
