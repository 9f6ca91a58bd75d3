namespace Tern.Lwm2m.Server.Registrations;

/// <summary>
/// Where registrations live. The server calls it for every Register, Update, De-register and expiry; an
/// implementation shared between servers (a database, a cache) lets several servers serve one fleet.
/// Implementations must be safe for concurrent use.
/// </summary>
public interface IRegistrationStore
{
    /// <summary>Adds <paramref name="registration"/>, replacing any registration of the same endpoint; returns the replaced one.</summary>
    ValueTask<Registration?> AddOrReplaceAsync(Registration registration, CancellationToken cancellationToken = default);

    /// <summary>Replaces the registration with the same id; returns false when that id is not (or no longer) stored.</summary>
    ValueTask<bool> UpdateAsync(Registration registration, CancellationToken cancellationToken = default);

    /// <summary>Removes the registration with <paramref name="id"/>; returns it, or null when it was not stored.</summary>
    ValueTask<Registration?> RemoveAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The registration with <paramref name="id"/>, or null.</summary>
    ValueTask<Registration?> GetByIdAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The registration of <paramref name="endpoint"/>, or null.</summary>
    ValueTask<Registration?> GetByEndpointAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>A snapshot of every registration.</summary>
    ValueTask<IReadOnlyList<Registration>> GetAllAsync(CancellationToken cancellationToken = default);
}
