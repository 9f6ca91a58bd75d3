using System.Collections.Concurrent;

namespace Tern.Coap.Dtls;

/// <summary>Resolves the pre-shared key for a PSK identity presented by a client during the handshake.</summary>
public interface IDtlsPskStore
{
    /// <summary>
    /// Returns the key for <paramref name="identity"/>, or null when the identity is unknown (the handshake is then
    /// refused with unknown_psk_identity). Called on the handshake thread; keep it quick.
    /// </summary>
    byte[]? GetKey(string identity);
}

/// <summary>An in-memory <see cref="IDtlsPskStore"/>; safe to update while the server runs.</summary>
public sealed class DtlsPskStore : IDtlsPskStore
{
    private readonly ConcurrentDictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    /// <summary>Adds or replaces the key of <paramref name="identity"/>.</summary>
    public DtlsPskStore Set(string identity, ReadOnlySpan<byte> key)
    {
        ArgumentException.ThrowIfNullOrEmpty(identity);
        if (key.IsEmpty)
        {
            throw new ArgumentException("A pre-shared key must not be empty.", nameof(key));
        }

        _keys[identity] = key.ToArray();
        return this;
    }

    /// <summary>Removes <paramref name="identity"/>; later handshakes with it are refused.</summary>
    public bool Remove(string identity) => _keys.TryRemove(identity, out _);

    /// <inheritdoc />
    public byte[]? GetKey(string identity) => _keys.TryGetValue(identity, out byte[]? key) ? key : null;
}
