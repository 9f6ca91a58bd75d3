namespace Tern.Lwm2m.Client.Engine;

public sealed partial class Lwm2mClientEngine
{
    private bool _paused;
    private DateTimeOffset _registrationRefreshed;

    /// <summary>Whether the application paused the engine (Zephyr's <c>lwm2m_engine_pause</c>).</summary>
    public bool IsPaused => _paused;

    /// <summary>
    /// Pauses the engine: the exchange in progress is abandoned, the connection closed (context kept) and nothing is
    /// sent or scheduled until <see cref="Resume"/>. The state does not change.
    /// </summary>
    public void Pause() => _requests.Enqueue(ApplyPause);

    /// <summary>
    /// Resumes a paused engine: a registration whose lifetime ran out while paused is made again, a live one is
    /// refreshed with an Update at once; Registration retries the attempt it abandoned.
    /// </summary>
    public void Resume() => _requests.Enqueue(ApplyResume);

    private void ApplyPause()
    {
        if (_paused)
        {
            return;
        }

        _paused = true;
        if (_pendingExchange is not null || IsRegistered || State is Lwm2mClientState.Registration or Lwm2mClientState.Bootstrap)
        {
            CloseConnection(keepContext: true);
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
        if (State == Lwm2mClientState.Registration)
        {
            _attemptAt ??= _now;
            return;
        }

        if (State == Lwm2mClientState.Bootstrap)
        {
            // The bootstrap session was cut off by the pause: start it over without counting a failure.
            _bootstrapFinishDeadline = null;
            _bootstrapAttemptAt = _now;
            return;
        }

        if (!IsRegistered)
        {
            return;
        }

        var lifetime = _account!.Server.Lifetime;
        if (lifetime > TimeSpan.Zero && _now >= _registrationRefreshed + lifetime)
        {
            // The server has forgotten us by now: register from scratch.
            _location = null;
            Transition(Lwm2mClientState.Registration);
            return;
        }

        _updateRequested = true;
        _lastUpdateSent = null;
    }
}
