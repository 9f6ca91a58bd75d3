using System.Diagnostics.CodeAnalysis;

namespace Tern.Coap.Blockwise;

/// <summary>
/// The bounded, expiring table behind both server sides of RFC 7959: Block1 transfers being reassembled and Block2
/// representations being served. At most <see cref="BlockwiseLimits.MaxTransfers"/> entries; adding to a full table
/// evicts the entry used least recently; an entry unused for <see cref="BlockwiseLimits.Lifetime"/> or longer is
/// expired. When an entry was last used is read through <paramref name="lastUse"/>, so the owner keeps that time on
/// its own entry type. Not thread-safe.
/// </summary>
/// <typeparam name="TEntry">What is kept per <see cref="BlockwiseKey"/>.</typeparam>
/// <param name="limits">The bounds (only MaxTransfers and Lifetime are used here).</param>
/// <param name="lastUse">When an entry was last used.</param>
internal sealed class BlockwiseTable<TEntry>(BlockwiseLimits limits, Func<TEntry, DateTimeOffset> lastUse)
    where TEntry : class
{
    private readonly Dictionary<BlockwiseKey, TEntry> _entries = [];

    public int Count => _entries.Count;

    public IEnumerable<TEntry> Values => _entries.Values;

    /// <summary>When the next entry expires, or null when the table is empty.</summary>
    public DateTimeOffset? NextExpiry => _entries.Count == 0 ? null : _entries.Values.Min(lastUse) + limits.Lifetime;

    public bool TryGetValue(BlockwiseKey key, [MaybeNullWhen(false)] out TEntry entry) => _entries.TryGetValue(key, out entry);

    public bool Remove(BlockwiseKey key) => _entries.Remove(key);

    /// <summary>Adds <paramref name="entry"/> (the key must be absent), first evicting the least recently used entry when full.</summary>
    public void Add(BlockwiseKey key, TEntry entry)
    {
        if (_entries.Count >= limits.MaxTransfers)
        {
            EvictLeastRecentlyUsed();
        }

        _entries.Add(key, entry);
    }

    /// <summary>Drops entries unused for a lifetime or longer at <paramref name="now"/>; returns how many.</summary>
    public int RemoveExpired(DateTimeOffset now)
    {
        List<BlockwiseKey>? expired = null;
        foreach ((BlockwiseKey key, TEntry entry) in _entries)
        {
            if (now - lastUse(entry) >= limits.Lifetime)
            {
                (expired ??= []).Add(key);
            }
        }

        expired?.ForEach(k => _entries.Remove(k));
        return expired?.Count ?? 0;
    }

    private void EvictLeastRecentlyUsed()
    {
        BlockwiseKey? oldest = null;
        DateTimeOffset oldestTime = DateTimeOffset.MaxValue;
        foreach ((BlockwiseKey key, TEntry entry) in _entries)
        {
            if (lastUse(entry) < oldestTime)
            {
                oldest = key;
                oldestTime = lastUse(entry);
            }
        }

        if (oldest is not null)
        {
            _entries.Remove(oldest);
        }
    }
}
