using Org.BouncyCastle.X509;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// What an abbreviated handshake needs of an earlier full one: the secrets, and who the client proved to be (its PSK
/// identity, or its certificate chain, leaf first, which is validated again before the session is resumed).
/// </summary>
internal sealed record CachedSession(byte[] SessionId, byte[] MasterSecret, ushort CipherSuite, bool ExtendedMasterSecret, string? PskIdentity,
    DateTimeOffset Created, X509Certificate[]? ClientChain = null);

/// <summary>
/// Sessions that may be resumed (RFC 5246 §7.3), keyed by session id: at most <c>capacity</c>, the least recently used
/// evicted first, each for at most <c>lifetime</c> after its full handshake. Thread-safe.
/// </summary>
internal sealed class NativeSessionCache(int capacity, TimeSpan lifetime, TimeProvider time)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<CachedSession>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedSession> _recency = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    public void Add(CachedSession session)
    {
        if (capacity <= 0)
        {
            return;
        }

        string key = Convert.ToHexString(session.SessionId);
        lock (_gate)
        {
            if (_byId.Remove(key, out LinkedListNode<CachedSession>? old))
            {
                _recency.Remove(old);
            }

            while (_byId.Count >= capacity && _recency.Last is { } last)
            {
                _recency.RemoveLast();
                _byId.Remove(Convert.ToHexString(last.Value.SessionId));
            }

            _byId[key] = _recency.AddFirst(session);
        }
    }

    public CachedSession? Find(ReadOnlySpan<byte> sessionId)
    {
        if (sessionId.IsEmpty)
        {
            return null;
        }

        string key = Convert.ToHexString(sessionId);
        lock (_gate)
        {
            if (!_byId.TryGetValue(key, out LinkedListNode<CachedSession>? node))
            {
                return null;
            }

            if (time.GetUtcNow() - node.Value.Created >= lifetime)
            {
                _byId.Remove(key);
                _recency.Remove(node);
                return null;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value;
        }
    }

    public void Remove(ReadOnlySpan<byte> sessionId)
    {
        string key = Convert.ToHexString(sessionId);
        lock (_gate)
        {
            if (_byId.Remove(key, out LinkedListNode<CachedSession>? node))
            {
                _recency.Remove(node);
            }
        }
    }
}
