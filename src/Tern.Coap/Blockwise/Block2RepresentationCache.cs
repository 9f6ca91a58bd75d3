using Tern.Coap.Messages;

namespace Tern.Coap.Blockwise;

/// <summary>
/// Server side of Block2 (RFC 7959 §2.4): keeps the representation a client is fetching block by block, keyed by
/// <see cref="BlockwiseKey"/>, so blocks after the first come from the same version without running the handler
/// again. Bounded like <see cref="Block1Reassembler"/>: representations larger than
/// <see cref="BlockwiseLimits.MaxBodySize"/> are not kept, at most <see cref="BlockwiseLimits.MaxTransfers"/> entries
/// are held (the least recently read is evicted), and an entry unread for <see cref="BlockwiseLimits.Lifetime"/>
/// expires. Not thread-safe.
/// </summary>
public sealed class Block2RepresentationCache
{
    private readonly BlockwiseTable<CachedRepresentation> _entries;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a cache.</summary>
    /// <param name="timeProvider">The clock for expiry.</param>
    /// <param name="limits">Bounds; the defaults when null.</param>
    public Block2RepresentationCache(TimeProvider timeProvider, BlockwiseLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        Limits = limits ?? new BlockwiseLimits();
        Limits.Validate();
        _entries = new BlockwiseTable<CachedRepresentation>(Limits, e => e.LastAccess);
    }

    /// <summary>The bounds in force.</summary>
    public BlockwiseLimits Limits { get; }

    /// <summary>The number of cached representations.</summary>
    public int Count => _entries.Count;

    /// <summary>The payload bytes held.</summary>
    public long CachedBytes => _entries.Values.Sum(e => (long)e.Payload.Length);

    /// <summary>When the next entry expires, or null when the cache is empty.</summary>
    public DateTimeOffset? NextExpiry => _entries.NextExpiry;

    /// <summary>
    /// Finds the representation for <paramref name="key"/> and marks it read now. False when absent or expired; the out
    /// value is then null despite its type (kept non-nullable so existing callers compile unchanged).
    /// </summary>
    public bool TryGet(BlockwiseKey key, out CachedRepresentation representation)
    {
        ArgumentNullException.ThrowIfNull(key);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        _entries.RemoveExpired(now);
        if (_entries.TryGetValue(key, out CachedRepresentation? found))
        {
            found.LastAccess = now;
            representation = found;
            return true;
        }

        representation = null!;
        return false;
    }

    /// <summary>
    /// Keeps a copy of <paramref name="response"/> (code, options without Block2/Size2/Observe, payload) for <paramref name="key"/>,
    /// replacing any older version, and returns it. When the response has no ETag, one computed from the payload is
    /// added. A payload larger than <see cref="BlockwiseLimits.MaxBodySize"/> is not kept: the entry is returned
    /// (so the first block can still be sent) but <paramref name="key"/> maps to nothing afterwards.
    /// </summary>
    public CachedRepresentation Store(BlockwiseKey key, CoapMessage response)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(response);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        _entries.RemoveExpired(now);
        _entries.Remove(key);

        // A representation too large to keep serves only this one block: slice the caller's memory instead of copying
        // it (a handler that serves a large image for every block request would otherwise copy it whole each time).
        bool kept = response.Payload.Length <= Limits.MaxBodySize;
        ReadOnlyMemory<byte> payload = kept ? response.Payload.ToArray() : response.Payload;
        ReadOnlyMemory<byte> etag = response.GetOption(CoapOptionNumber.ETag) is { } given ? given.Value : CachedRepresentation.ComputeETag(payload.Span);
        List<CoapOption> options = [];
        foreach (CoapOption option in response.Options)
        {
            if (option.Number is not (CoapOptionNumber.Block2 or CoapOptionNumber.Size2 or CoapOptionNumber.ETag or CoapOptionNumber.Observe))
            {
                options.Add(option);
            }
        }

        int at = options.FindIndex(o => o.Number > CoapOptionNumber.ETag);
        options.Insert(at < 0 ? options.Count : at, new CoapOption(CoapOptionNumber.ETag, etag));
        var entry = new CachedRepresentation(response.Code, options, payload, etag) { LastAccess = now };
        if (!kept)
        {
            return entry;
        }

        _entries.Add(key, entry);
        return entry;
    }

    /// <summary>Forgets the representation for <paramref name="key"/> (e.g. after the last block was sent).</summary>
    public bool Remove(BlockwiseKey key) => _entries.Remove(key);

    /// <summary>Drops entries unread for a lifetime or longer; returns how many.</summary>
    public int RemoveExpired() => _entries.RemoveExpired(_timeProvider.GetUtcNow());
}
