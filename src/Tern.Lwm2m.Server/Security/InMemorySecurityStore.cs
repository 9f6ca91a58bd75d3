using System.Diagnostics.CodeAnalysis;

namespace Tern.Lwm2m.Server.Security;

/// <summary>An <see cref="ISecurityStore"/> in memory, indexed by endpoint and by PSK identity; safe to change while the server runs.</summary>
public sealed class InMemorySecurityStore : ISecurityStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SecurityInfo> _byEndpoint = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SecurityInfo> _byIdentity = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public SecurityInfo? GetByEndpoint(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate)
        {
            return _byEndpoint.GetValueOrDefault(endpoint);
        }
    }

    /// <inheritdoc />
    public SecurityInfo? GetByPskIdentity(string identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        lock (_gate)
        {
            return _byIdentity.GetValueOrDefault(identity);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<SecurityInfo> GetAll()
    {
        lock (_gate)
        {
            return [.. _byEndpoint.Values.OrderBy(s => s.Endpoint, StringComparer.Ordinal)];
        }
    }

    /// <inheritdoc />
    public bool TryPut(SecurityInfo info, [NotNullWhen(false)] out string? conflict)
    {
        ArgumentNullException.ThrowIfNull(info);
        lock (_gate)
        {
            if (info.PskIdentity is { } identity && _byIdentity.TryGetValue(identity, out SecurityInfo? owner) && owner.Endpoint != info.Endpoint)
            {
                conflict = $"PSK identity '{identity}' already belongs to endpoint '{owner.Endpoint}'.";
                return false;
            }

            RemoveLocked(info.Endpoint);
            _byEndpoint[info.Endpoint] = info;
            if (info.PskIdentity is { } added)
            {
                _byIdentity[added] = info;
            }
        }

        conflict = null;
        return true;
    }

    /// <inheritdoc />
    public bool Remove(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate)
        {
            return RemoveLocked(endpoint);
        }
    }

    private bool RemoveLocked(string endpoint)
    {
        if (!_byEndpoint.Remove(endpoint, out SecurityInfo? old))
        {
            return false;
        }

        if (old.PskIdentity is { } identity)
        {
            _byIdentity.Remove(identity);
        }

        return true;
    }
}
