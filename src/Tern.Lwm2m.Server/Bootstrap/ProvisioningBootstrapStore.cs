using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tern.Lwm2m.Server.Security;

namespace Tern.Lwm2m.Server.Bootstrap;

/// <summary>
/// The link between a bootstrap server and an LwM2M server in one process: an <see cref="IBootstrapConfigurationStore"/>
/// over another one that, whenever a configuration is set, makes the LwM2M server's <see cref="ISecurityStore"/> hold
/// the credentials the configuration provisions for that server (see <see cref="BootstrapServerCredentials"/>), so the
/// client can register with them as soon as it is bootstrapped.
/// </summary>
/// <remarks>
/// <para>
/// The link acts when a configuration is <em>set</em> (through this store, hence the REST API), not when a bootstrap is
/// served: the operator learns of a conflict at once, and the entry is in place before the client's handshake.
/// </para>
/// <para>
/// It removes or replaces only entries it added itself and that nobody has changed since. An entry an operator set by
/// hand with the same credentials is left alone and stays the operator's (deleting the configuration keeps it); one
/// with <em>different</em> credentials is never overwritten: <see cref="TrySetAsync"/> reports a conflict and the
/// configuration is not stored, so what the bootstrap server hands out and what the LwM2M server accepts cannot
/// silently disagree. Replacing a configuration by one that provisions nothing for this server, or deleting it,
/// removes the entry the link added.
/// </para>
/// </remarks>
public sealed partial class ProvisioningBootstrapStore : IBootstrapConfigurationStore, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, SecurityInfo> _added = new(StringComparer.Ordinal);
    private readonly Func<string, bool>? _servesUri;
    private readonly ILogger _logger;

    /// <summary>
    /// Links <paramref name="inner"/> (where configurations are kept) to <paramref name="security"/> (the LwM2M server's
    /// entries). <paramref name="servesUri"/> picks the accounts that belong to that LwM2M server by their Server URI;
    /// null takes every account.
    /// </summary>
    public ProvisioningBootstrapStore(IBootstrapConfigurationStore inner, ISecurityStore security, Func<string, bool>? servesUri = null, ILogger? logger = null)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Security = security ?? throw new ArgumentNullException(nameof(security));
        _servesUri = servesUri;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Where the configurations are kept.</summary>
    public IBootstrapConfigurationStore Inner { get; }

    /// <summary>The LwM2M server's security entries the link fills.</summary>
    public ISecurityStore Security { get; }

    /// <summary>Raised after the link added, replaced or removed an entry, or refused a configuration.</summary>
    public event EventHandler<BootstrapProvisioningEventArgs>? Changed;

    /// <summary>The entries the link added and still owns (a snapshot).</summary>
    public IReadOnlyList<SecurityInfo> Provisioned
    {
        get
        {
            _gate.Wait();
            try
            {
                return [.. _added.Values.OrderBy(s => s.Endpoint, StringComparer.Ordinal)];
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<BootstrapConfiguration?> GetAsync(string endpoint, CancellationToken cancellationToken = default) => Inner.GetAsync(endpoint, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, BootstrapConfiguration>> GetAllAsync(CancellationToken cancellationToken = default) => Inner.GetAllAsync(cancellationToken);

    /// <summary>Stores the configuration and provisions its credentials, as <see cref="TrySetAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">The credentials conflict with the LwM2M server's entries; nothing was stored.</exception>
    public async ValueTask SetAsync(string endpoint, BootstrapConfiguration configuration, CancellationToken cancellationToken = default)
    {
        BootstrapProvisioningResult result = await TrySetAsync(endpoint, configuration, cancellationToken).ConfigureAwait(false);
        if (result.Conflict is { } conflict)
        {
            throw new InvalidOperationException(conflict);
        }
    }

    /// <summary>
    /// Makes the LwM2M server's store hold what <paramref name="configuration"/> provisions for <paramref name="endpoint"/>,
    /// then stores the configuration. On a conflict neither store changes and the result says why.
    /// </summary>
    public async ValueTask<BootstrapProvisioningResult> TrySetAsync(string endpoint, BootstrapConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentNullException.ThrowIfNull(configuration);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            BootstrapProvisioningResult result = ProvisionLocked(endpoint, configuration);
            if (result.IsSuccess)
            {
                await Inner.SetAsync(endpoint, configuration, cancellationToken).ConfigureAwait(false);
            }

            return Report(result);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes the configuration and the entry the link added for it (if it is still as the link left it).</summary>
    public async ValueTask<bool> RemoveAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool removed = await Inner.RemoveAsync(endpoint, cancellationToken).ConfigureAwait(false);
            Report(WithdrawLocked(endpoint));
            return removed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Provisions the credentials of every configuration already in <see cref="Inner"/> (e.g. loaded before the link was
    /// made); configurations that conflict stay stored and their conflicts are returned (and logged).
    /// </summary>
    public async ValueTask<IReadOnlyList<BootstrapProvisioningResult>> SyncAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyDictionary<string, BootstrapConfiguration> all = await Inner.GetAllAsync(cancellationToken).ConfigureAwait(false);
        var conflicts = new List<BootstrapProvisioningResult>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach ((string endpoint, BootstrapConfiguration configuration) in all.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (Report(ProvisionLocked(endpoint, configuration)) is { IsSuccess: false } conflict)
                {
                    conflicts.Add(conflict);
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return conflicts;
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _gate.Dispose();

    private BootstrapProvisioningResult ProvisionLocked(string endpoint, BootstrapConfiguration configuration)
    {
        if (!BootstrapServerCredentials.TryFind(endpoint, configuration, _servesUri, out SecurityInfo? wanted, out string? problem))
        {
            return BootstrapProvisioningResult.Refused(endpoint, problem!);
        }

        if (wanted is null)
        {
            return WithdrawLocked(endpoint);
        }

        SecurityInfo? current = Security.GetByEndpoint(endpoint);
        SecurityInfo? ours = _added.GetValueOrDefault(endpoint);
        if (wanted.Equals(current))
        {
            // Already there: still ours if we put it, else the operator's (and it stays when the configuration goes).
            if (ours is not null && !ours.Equals(current))
            {
                _added.Remove(endpoint);
            }

            return new BootstrapProvisioningResult(endpoint, BootstrapProvisioningAction.Unchanged, wanted, null);
        }

        if (current is not null && !current.Equals(ours))
        {
            return BootstrapProvisioningResult.Refused(endpoint,
                $"The LwM2M server already has an entry for '{endpoint}' ({current}) set by hand; the configuration provisions {wanted}. "
                + "Change or delete that entry (/api/security) first, or provision the same credentials.");
        }

        if (!Security.TryPut(wanted, out string? conflict))
        {
            return BootstrapProvisioningResult.Refused(endpoint, $"The LwM2M server cannot take the credentials of '{endpoint}': {conflict}");
        }

        _added[endpoint] = wanted;
        return new BootstrapProvisioningResult(endpoint, current is null ? BootstrapProvisioningAction.Added : BootstrapProvisioningAction.Replaced, wanted, null);
    }

    private BootstrapProvisioningResult WithdrawLocked(string endpoint)
    {
        if (!_added.Remove(endpoint, out SecurityInfo? ours))
        {
            return new BootstrapProvisioningResult(endpoint, BootstrapProvisioningAction.Unchanged, null, null);
        }

        // Someone changed the entry since the link put it: it is theirs now.
        if (!ours.Equals(Security.GetByEndpoint(endpoint)))
        {
            return new BootstrapProvisioningResult(endpoint, BootstrapProvisioningAction.Unchanged, null, null);
        }

        Security.Remove(endpoint);
        return new BootstrapProvisioningResult(endpoint, BootstrapProvisioningAction.Removed, ours, null);
    }

    private BootstrapProvisioningResult Report(BootstrapProvisioningResult result)
    {
        switch (result.Action)
        {
            case BootstrapProvisioningAction.Unchanged:
                return result;
            case BootstrapProvisioningAction.Refused:
                Log.Refused(_logger, result.Endpoint, result.Conflict!);
                break;
            default:
                Log.Changed(_logger, result.Endpoint, result.Action, result.Entry!);
                break;
        }

        try
        {
            Changed?.Invoke(this, new BootstrapProvisioningEventArgs(result));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.HandlerFailed(_logger, result.Endpoint, ex);
        }

        return result;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6111, Level = LogLevel.Information, Message = "Provisioning link: {Action} the LwM2M server's entry {Entry} for {Endpoint}")]
        public static partial void Changed(ILogger logger, string endpoint, BootstrapProvisioningAction action, SecurityInfo entry);

        [LoggerMessage(EventId = 6112, Level = LogLevel.Warning, Message = "Provisioning link: the bootstrap configuration of {Endpoint} is refused: {Conflict}")]
        public static partial void Refused(ILogger logger, string endpoint, string conflict);

        [LoggerMessage(EventId = 6113, Level = LogLevel.Error, Message = "Provisioning link: the Changed handler failed for {Endpoint}")]
        public static partial void HandlerFailed(ILogger logger, string endpoint, Exception exception);
    }
}
