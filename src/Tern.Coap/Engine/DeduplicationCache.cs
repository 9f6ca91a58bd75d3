namespace Tern.Coap.Engine;

/// <summary>
/// Remembers which (peer, message ID) pairs arrived recently and what we answered, so a duplicate gets the
/// same answer instead of a second run of the application (RFC 7252 §4.5). CON entries live EXCHANGE_LIFETIME,
/// NON entries NON_LIFETIME; the table never holds more than its capacity (the entry closest to expiry goes first).
/// </summary>
internal sealed class DeduplicationCache(int capacity, TimeSpan confirmableLifetime, TimeSpan nonConfirmableLifetime)
{
    private readonly Dictionary<MessageKey, Entry> _entries = [];

    // Lifetimes are fixed per kind and time only moves forward, so each queue is ordered by expiry.
    private readonly Queue<(MessageKey Key, Entry Entry)> _confirmable = new();
    private readonly Queue<(MessageKey Key, Entry Entry)> _nonConfirmable = new();

    public int Count => _entries.Count;

    public int Capacity => capacity;

    public bool TryGet(MessageKey key, out Entry entry) => _entries.TryGetValue(key, out entry!);

    /// <summary>Records a new message. The caller checked <see cref="TryGet"/> first.</summary>
    public Entry Add(MessageKey key, bool confirmable, DateTimeOffset now, byte[]? reply = null, long requestId = 0)
    {
        while (_entries.Count >= capacity && EvictOne())
        {
        }

        var entry = new Entry(now + (confirmable ? confirmableLifetime : nonConfirmableLifetime)) { Reply = reply, RequestId = requestId };
        _entries[key] = entry;
        (confirmable ? _confirmable : _nonConfirmable).Enqueue((key, entry));
        return entry;
    }

    /// <summary>Stores the answer to replay for duplicates, when the entry still exists.</summary>
    public void SetReply(MessageKey key, byte[] reply)
    {
        if (_entries.TryGetValue(key, out Entry? entry))
        {
            entry.Reply = reply;
        }
    }

    /// <summary>Forgets every entry whose lifetime ended at or before <paramref name="now"/>.</summary>
    public void Expire(DateTimeOffset now)
    {
        ExpireQueue(_confirmable, now);
        ExpireQueue(_nonConfirmable, now);
    }

    private void ExpireQueue(Queue<(MessageKey Key, Entry Entry)> queue, DateTimeOffset now)
    {
        while (queue.TryPeek(out var head) && head.Entry.ExpiresAt <= now)
        {
            queue.Dequeue();
            Forget(head.Key, head.Entry);
        }
    }

    private bool EvictOne()
    {
        bool hasConfirmable = _confirmable.TryPeek(out var c);
        bool hasNon = _nonConfirmable.TryPeek(out var n);
        if (!hasConfirmable && !hasNon)
        {
            return false;
        }

        var (key, entry) = !hasNon || (hasConfirmable && c.Entry.ExpiresAt <= n.Entry.ExpiresAt)
            ? _confirmable.Dequeue()
            : _nonConfirmable.Dequeue();
        Forget(key, entry);
        return true;
    }

    private void Forget(MessageKey key, Entry entry)
    {
        if (_entries.TryGetValue(key, out Entry? current) && ReferenceEquals(current, entry))
        {
            _entries.Remove(key);
        }
    }

    internal sealed class Entry(DateTimeOffset expiresAt)
    {
        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        /// <summary>The ACK, piggybacked response or RST sent for this message; null while the application works.</summary>
        public byte[]? Reply { get; set; }

        /// <summary>The incoming request this message started (0 when none).</summary>
        public long RequestId { get; set; }
    }
}
