using System.Collections.Concurrent;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>Bootstrap configurations by endpoint name. Implementations must be safe for concurrent use.</summary>
public interface IBootstrapConfigurationStore
{
    /// <summary>The configuration for <paramref name="endpoint"/>, or null.</summary>
    ValueTask<BootstrapConfiguration?> GetAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the configuration for <paramref name="endpoint"/>.</summary>
    ValueTask SetAsync(string endpoint, BootstrapConfiguration configuration, CancellationToken cancellationToken = default);

    /// <summary>Removes the configuration for <paramref name="endpoint"/>; false when there was none.</summary>
    ValueTask<bool> RemoveAsync(string endpoint, CancellationToken cancellationToken = default);

    /// <summary>A snapshot of every configuration, by endpoint.</summary>
    ValueTask<IReadOnlyDictionary<string, BootstrapConfiguration>> GetAllAsync(CancellationToken cancellationToken = default);
}

/// <summary>An <see cref="IBootstrapConfigurationStore"/> in process memory.</summary>
public sealed class InMemoryBootstrapConfigurationStore : IBootstrapConfigurationStore
{
    private readonly ConcurrentDictionary<string, BootstrapConfiguration> _configurations = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<BootstrapConfiguration?> GetAsync(string endpoint, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_configurations.GetValueOrDefault(endpoint));

    /// <inheritdoc />
    public ValueTask SetAsync(string endpoint, BootstrapConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentNullException.ThrowIfNull(configuration);
        _configurations[endpoint] = configuration;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string endpoint, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_configurations.TryRemove(endpoint, out _));

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, BootstrapConfiguration>> GetAllAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, BootstrapConfiguration>>(new Dictionary<string, BootstrapConfiguration>(_configurations, StringComparer.Ordinal));
}
