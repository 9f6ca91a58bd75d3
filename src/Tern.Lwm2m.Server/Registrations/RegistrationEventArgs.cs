namespace Tern.Lwm2m.Server.Registrations;

/// <summary>A registration that changed: registered, updated, de-registered or expired.</summary>
public sealed class RegistrationEventArgs : EventArgs
{
    /// <summary>Creates the event arguments.</summary>
    public RegistrationEventArgs(Registration registration, Registration? previous = null)
    {
        Registration = registration;
        Previous = previous;
    }

    /// <summary>The registration now (for removals: as it was when removed).</summary>
    public Registration Registration { get; }

    /// <summary>For updates, the registration before the update; for a re-registration, the one it replaced; otherwise null.</summary>
    public Registration? Previous { get; }
}
