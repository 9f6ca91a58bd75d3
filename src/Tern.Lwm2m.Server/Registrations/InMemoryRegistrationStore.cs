namespace Tern.Lwm2m.Server.Registrations;

/// <summary>An <see cref="IRegistrationStore"/> in process memory: two dictionaries under one lock.</summary>
public sealed class InMemoryRegistrationStore : IRegistrationStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Registration> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Registration> _byEndpoint = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<Registration?> AddOrReplaceAsync(Registration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        lock (_gate)
        {
            if (_byEndpoint.Remove(registration.Endpoint, out Registration? old))
            {
                _byId.Remove(old.Id);
            }

            _byEndpoint[registration.Endpoint] = registration;
            _byId[registration.Id] = registration;
            return ValueTask.FromResult(old);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateAsync(Registration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        lock (_gate)
        {
            if (!_byId.TryGetValue(registration.Id, out Registration? old) || old.Endpoint != registration.Endpoint)
            {
                return ValueTask.FromResult(false);
            }

            _byId[registration.Id] = registration;
            _byEndpoint[registration.Endpoint] = registration;
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<Registration?> RemoveAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_byId.Remove(id, out Registration? old))
            {
                return ValueTask.FromResult<Registration?>(null);
            }

            _byEndpoint.Remove(old.Endpoint);
            return ValueTask.FromResult<Registration?>(old);
        }
    }

    /// <inheritdoc />
    public ValueTask<Registration?> GetByIdAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_byId.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public ValueTask<Registration?> GetByEndpointAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_byEndpoint.GetValueOrDefault(endpoint));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Registration>> GetAllAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Registration>>([.. _byId.Values]);
        }
    }
}
