using System.Security.Cryptography;
using Tern.Coap.Messages;

namespace Tern.Coap.Blockwise;

/// <summary>
/// A response kept by the server while a client fetches it block by block: code, options (without Block2/Size2)
/// and payload, with an ETag that identifies this version of the content.
/// </summary>
public sealed class CachedRepresentation
{
    internal CachedRepresentation(CoapCode code, IReadOnlyList<CoapOption> options, ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte> etag)
    {
        Code = code;
        Options = options;
        Payload = payload;
        ETag = etag;
    }

    /// <summary>The response code.</summary>
    public CoapCode Code { get; }

    /// <summary>
    /// The response options, ETag included; Block2, Size2 and Observe left out (later blocks of a notification
    /// carry no Observe option, RFC 7959 §3.4).
    /// </summary>
    public IReadOnlyList<CoapOption> Options { get; }

    /// <summary>The whole representation.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The ETag sent with every block (the handler's own, or one computed from the content).</summary>
    public ReadOnlyMemory<byte> ETag { get; }

    internal DateTimeOffset LastAccess { get; set; }

    /// <summary>
    /// Fills <paramref name="response"/> with this representation's code and options and the block chosen by
    /// <see cref="Block2Slicer"/> for <paramref name="requested"/>. Returns the slice (check
    /// <see cref="Block2Slice.Status"/>: for <see cref="Block2SliceStatus.BeyondEnd"/> the response has become 4.02).
    /// </summary>
    public Block2Slice WriteBlock(CoapMessage response, BlockOption? requested, int preferredSizeExponent, bool size2Requested = false)
    {
        ArgumentNullException.ThrowIfNull(response);
        Block2Slice slice = Block2Slicer.Slice(Payload, requested, preferredSizeExponent, size2Requested);
        if (slice.Status != Block2SliceStatus.BeyondEnd)
        {
            response.Code = Code;
            foreach (CoapOption option in Options)
            {
                response.RemoveOption(option.Number);
            }

            foreach (CoapOption option in Options)
            {
                response.AddOption(option);
            }
        }

        slice.ApplyTo(response);
        return slice;
    }

    /// <summary>
    /// An 8-byte ETag derived from the content (the first 8 bytes of its SHA-256): equal content gives an equal
    /// ETag, so a client can tell when blocks come from different versions.
    /// </summary>
    public static byte[] ComputeETag(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, hash);
        return hash[..8].ToArray();
    }
}

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
    private readonly Dictionary<BlockwiseKey, CachedRepresentation> _entries = [];
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
    }

    /// <summary>The bounds in force.</summary>
    public BlockwiseLimits Limits { get; }

    /// <summary>The number of cached representations.</summary>
    public int Count => _entries.Count;

    /// <summary>The payload bytes held.</summary>
    public long CachedBytes => _entries.Values.Sum(e => (long)e.Payload.Length);

    /// <summary>When the next entry expires, or null when the cache is empty.</summary>
    public DateTimeOffset? NextExpiry => _entries.Count == 0 ? null : _entries.Values.Min(e => e.LastAccess) + Limits.Lifetime;

    /// <summary>Finds the representation for <paramref name="key"/> and marks it read now. False when absent or expired.</summary>
    public bool TryGet(BlockwiseKey key, out CachedRepresentation representation)
    {
        ArgumentNullException.ThrowIfNull(key);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        Purge(now);
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
        Purge(now);
        _entries.Remove(key);

        byte[] payload = response.Payload.ToArray();
        ReadOnlyMemory<byte> etag = response.GetOption(CoapOptionNumber.ETag) is { } given ? given.Value : CachedRepresentation.ComputeETag(payload);
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
        if (payload.Length > Limits.MaxBodySize)
        {
            return entry;
        }

        if (_entries.Count >= Limits.MaxTransfers)
        {
            EvictLeastRecentlyRead();
        }

        _entries.Add(key, entry);
        return entry;
    }

    /// <summary>Forgets the representation for <paramref name="key"/> (e.g. after the last block was sent).</summary>
    public bool Remove(BlockwiseKey key) => _entries.Remove(key);

    /// <summary>Drops entries unread for a lifetime or longer; returns how many.</summary>
    public int RemoveExpired() => Purge(_timeProvider.GetUtcNow());

    private int Purge(DateTimeOffset now)
    {
        List<BlockwiseKey>? expired = null;
        foreach ((BlockwiseKey key, CachedRepresentation entry) in _entries)
        {
            if (now - entry.LastAccess >= Limits.Lifetime)
            {
                (expired ??= []).Add(key);
            }
        }

        expired?.ForEach(k => _entries.Remove(k));
        return expired?.Count ?? 0;
    }

    private void EvictLeastRecentlyRead()
    {
        BlockwiseKey? oldest = null;
        DateTimeOffset oldestTime = DateTimeOffset.MaxValue;
        foreach ((BlockwiseKey key, CachedRepresentation entry) in _entries)
        {
            if (entry.LastAccess < oldestTime)
            {
                oldest = key;
                oldestTime = entry.LastAccess;
            }
        }

        if (oldest is not null)
        {
            _entries.Remove(oldest);
        }
    }
}
