using Tern.Lwm2m.Server.Registrations;

namespace Tern.Lwm2m.Server;

public sealed partial class Lwm2mServer
{
    private readonly Dictionary<string, ITimer> _expiryTimers = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <summary>Arms a one-shot timer at the registration's expiry (plus grace). Callers hold the registration gate.</summary>
    private void ScheduleExpiry(Registration registration)
    {
        lock (_expiryTimers)
        {
            if (_disposed)
            {
                return;
            }

            TimeSpan due = registration.ExpiresAt + _options.ExpiryGrace - _time.GetUtcNow();
            ITimer timer = _time.CreateTimer(_ => _ = ExpireAsync(registration.Id), null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
            _expiryTimers[registration.Id] = timer;
        }
    }

    private void StopExpiry(string id)
    {
        lock (_expiryTimers)
        {
            if (_expiryTimers.Remove(id, out ITimer? timer))
            {
                timer.Dispose();
            }
        }
    }

    private async Task ExpireAsync(string id)
    {
        Registration? removed = null;
        await _registrationGate.WaitAsync().ConfigureAwait(false);
        try
        {
            Registration? current = await Store.GetByIdAsync(id).ConfigureAwait(false);

            // An Update that raced the timer moved the expiry: leave the registration to its new timer.
            if (current is not null && current.ExpiresAt + _options.ExpiryGrace <= _time.GetUtcNow())
            {
                removed = await Store.RemoveAsync(id).ConfigureAwait(false);
                StopExpiry(id);
            }
        }
        finally
        {
            _registrationGate.Release();
        }

        if (removed is not null)
        {
            Log.Expired(_logger, removed.Endpoint, removed.Id);
            CancelObservations(removed);
            WakeWaitersOfGone(removed);
            Raise(Expired, new RegistrationEventArgs(removed), nameof(Expired));
        }
    }

    private void DisposeExpiryTimers()
    {
        lock (_expiryTimers)
        {
            _disposed = true;
            foreach (ITimer timer in _expiryTimers.Values)
            {
                timer.Dispose();
            }

            _expiryTimers.Clear();
        }
    }
}
