using System.Buffers.Binary;
using Tern.Coap.Transport;

namespace Tern.Coap.Observe;

/// <summary>
/// The observable side's list of observers (RFC 7641 §4.1), keyed by (peer, token) and by resource key.
/// The engine adds an entry for a GET with Observe=0 and removes it on RST, on a confirmable notification
/// that times out, on a GET with Observe=1, or when the resource goes away. The count is bounded: when full,
/// <see cref="TryRegister"/> refuses, and the engine answers the GET without an Observe option, as RFC 7641 §4.1
/// allows. Pure logic, no timers; not thread-safe (the engine owns it).
/// </summary>
public sealed class ObserverRegistry
{
    /// <summary>RFC 7641 §4.5: at least one confirmable notification every 24 hours.</summary>
    public static readonly TimeSpan DefaultConfirmableInterval = TimeSpan.FromHours(24);

    /// <summary>The default bound on registrations.</summary>
    public const int DefaultMaxObservers = 1024;

    private readonly Dictionary<ObservationKey, ObserverRegistration> _byToken = [];
    private readonly Dictionary<string, List<ObserverRegistration>> _byResource = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _confirmableInterval;

    /// <summary>Creates a registry.</summary>
    /// <param name="timeProvider">The clock for registration times.</param>
    /// <param name="maxObservers">The most registrations kept at once (at least 1).</param>
    /// <param name="confirmableInterval">The longest run of non-confirmable notifications (24 hours by default).</param>
    public ObserverRegistry(TimeProvider timeProvider, int maxObservers = DefaultMaxObservers, TimeSpan? confirmableInterval = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxObservers, 1);
        _confirmableInterval = confirmableInterval ?? DefaultConfirmableInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_confirmableInterval, TimeSpan.Zero, nameof(confirmableInterval));
        _timeProvider = timeProvider;
        MaxObservers = maxObservers;
    }

    /// <summary>The bound on registrations.</summary>
    public int MaxObservers { get; }

    /// <summary>The number of registrations.</summary>
    public int Count => _byToken.Count;

    /// <summary>
    /// Adds or refreshes the registration of (<paramref name="peer"/>, <paramref name="token"/>) on
    /// <paramref name="resourceKey"/>. An existing entry with the same peer and token is updated in place, keeping
    /// its sequence counter so Observe values stay increasing (RFC 7641 §4.1). Returns false, adding nothing,
    /// when the registry is full. Throws for a token longer than 8 bytes.
    /// </summary>
    /// <param name="peer">The client endpoint.</param>
    /// <param name="token">The registration's token, 0–8 bytes.</param>
    /// <param name="resourceKey">The observed resource.</param>
    /// <param name="registration">The new or refreshed entry.</param>
    /// <param name="firstSequence">The first Observe value of a new entry (0 by default).</param>
    public bool TryRegister(CoapPeer peer, ReadOnlyMemory<byte> token, string resourceKey, out ObserverRegistration registration, uint firstSequence = 0)
    {
        ArgumentNullException.ThrowIfNull(resourceKey);
        var key = ObservationKey.Create(peer, token.Span);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        if (_byToken.TryGetValue(key, out ObserverRegistration? existing))
        {
            if (!string.Equals(existing.ResourceKey, resourceKey, StringComparison.Ordinal))
            {
                RemoveFromResource(existing);
                existing.ResourceKey = resourceKey;
                AddToResource(existing);
            }

            existing.RegisteredAt = now;
            registration = existing;
            return true;
        }

        if (_byToken.Count >= MaxObservers)
        {
            registration = null!;
            return false;
        }

        registration = new ObserverRegistration(peer, token.ToArray(), resourceKey, now, firstSequence)
        {
            ConfirmableInterval = _confirmableInterval,
        };
        _byToken.Add(key, registration);
        AddToResource(registration);
        return true;
    }

    /// <summary>Finds the registration of (<paramref name="peer"/>, <paramref name="token"/>).</summary>
    public bool TryGet(CoapPeer peer, ReadOnlySpan<byte> token, out ObserverRegistration registration)
    {
        if (token.Length <= 8 && _byToken.TryGetValue(ObservationKey.Create(peer, token), out ObserverRegistration? found))
        {
            registration = found;
            return true;
        }

        registration = null!;
        return false;
    }

    /// <summary>
    /// Removes the registration of (<paramref name="peer"/>, <paramref name="token"/>): for an RST to a notification,
    /// a confirmable notification that timed out, or a GET with Observe=1. Returns false when there was none.
    /// </summary>
    public bool Remove(CoapPeer peer, ReadOnlySpan<byte> token)
    {
        if (token.Length > 8 || !_byToken.Remove(ObservationKey.Create(peer, token), out ObserverRegistration? removed))
        {
            return false;
        }

        RemoveFromResource(removed);
        return true;
    }

    /// <summary>Removes every registration on <paramref name="resourceKey"/> (e.g. the resource was deleted); returns them.</summary>
    public IReadOnlyList<ObserverRegistration> RemoveResource(string resourceKey)
    {
        ArgumentNullException.ThrowIfNull(resourceKey);
        if (!_byResource.Remove(resourceKey, out List<ObserverRegistration>? list))
        {
            return [];
        }

        foreach (ObserverRegistration registration in list)
        {
            _byToken.Remove(ObservationKey.Create(registration.Peer, registration.Token.Span));
        }

        return list;
    }

    /// <summary>Removes every registration of <paramref name="peer"/>; returns how many there were.</summary>
    public int RemovePeer(CoapPeer peer)
    {
        List<ObserverRegistration> doomed = [.. _byToken.Values.Where(r => r.Peer == peer)];
        foreach (ObserverRegistration registration in doomed)
        {
            Remove(registration.Peer, registration.Token.Span);
        }

        return doomed.Count;
    }

    /// <summary>The registrations on <paramref name="resourceKey"/>, in registration order (a snapshot).</summary>
    public IReadOnlyList<ObserverRegistration> GetObservers(string resourceKey)
    {
        ArgumentNullException.ThrowIfNull(resourceKey);
        return _byResource.TryGetValue(resourceKey, out List<ObserverRegistration>? list) ? [.. list] : [];
    }

    private void AddToResource(ObserverRegistration registration)
    {
        if (!_byResource.TryGetValue(registration.ResourceKey, out List<ObserverRegistration>? list))
        {
            list = [];
            _byResource.Add(registration.ResourceKey, list);
        }

        list.Add(registration);
    }

    private void RemoveFromResource(ObserverRegistration registration)
    {
        if (_byResource.TryGetValue(registration.ResourceKey, out List<ObserverRegistration>? list))
        {
            list.Remove(registration);
            if (list.Count == 0)
            {
                _byResource.Remove(registration.ResourceKey);
            }
        }
    }

    /// <summary>A (peer, token) pair with the token packed into a long, so lookups allocate nothing.</summary>
    private readonly record struct ObservationKey(CoapPeer Peer, ulong Token, int TokenLength)
    {
        public static ObservationKey Create(CoapPeer peer, ReadOnlySpan<byte> token)
        {
            if (token.Length > 8)
            {
                throw new ArgumentException("A CoAP token is at most 8 bytes long.", nameof(token));
            }

            Span<byte> padded = stackalloc byte[8];
            padded.Clear();
            token.CopyTo(padded);
            return new ObservationKey(peer, BinaryPrimitives.ReadUInt64BigEndian(padded), token.Length);
        }
    }
}
