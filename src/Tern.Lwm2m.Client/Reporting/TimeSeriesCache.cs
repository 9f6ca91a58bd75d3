using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.Reporting;

/// <summary>
/// Decides whether a value may enter the time-series cache: returns null to accept it, or the reason it is refused.
/// </summary>
/// <param name="path">The resource the value is for.</param>
/// <param name="value">The value.</param>
/// <param name="timestamp">When it was measured.</param>
public delegate string? Lwm2mValueValidator(Lwm2mPath path, Lwm2mValue value, DateTimeOffset timestamp);

/// <summary>What happened to a value offered to the cache.</summary>
public enum TimeSeriesAppendStatus
{
    /// <summary>The value was stored (perhaps dropping the oldest entry).</summary>
    Accepted,

    /// <summary>No cache is enabled for the path; nothing was stored.</summary>
    NotCached,

    /// <summary>The validation callback refused the value.</summary>
    Refused,

    /// <summary>The cache is full and refuses new values.</summary>
    Full,

    /// <summary>The value's type has no fixed size (only numbers, Booleans, times and object links are cached).</summary>
    UnsupportedType,
}

/// <summary>The outcome of <see cref="TimeSeriesCache.Append"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Reason">The validator's reason when refused, or what else went wrong.</param>
/// <param name="DroppedOldest">True when the oldest entry was dropped to make room.</param>
public readonly record struct TimeSeriesAppendResult(TimeSeriesAppendStatus Status, string? Reason = null, bool DroppedOldest = false);

/// <summary>
/// Per-resource time series (seed 003's data cache): every value the application sets on a cached resource is kept
/// with its timestamp, up to a bound per resource; what happens when full is the resource's <see cref="OverflowPolicy"/>.
/// Read returns all entries; Notify and Send report the entries their observation or server has not reported yet.
/// Entries leave only by the bound or <see cref="Clear"/>, so several servers and observations can each see them.
/// Save and load it with <see cref="TimeSeriesCacheFile"/>. Not thread-safe.
/// </summary>
public sealed class TimeSeriesCache
{
    /// <summary>The largest capacity one resource may have.</summary>
    public const int MaxCapacity = 100_000;

    private readonly SortedDictionary<Lwm2mPath, Series> _series = [];
    private long _lastSequence;

    /// <summary>The callback that may refuse values before they enter the cache, or null to accept all.</summary>
    public Lwm2mValueValidator? Validator { get; set; }

    /// <summary>The cached resources.</summary>
    public IEnumerable<Lwm2mPath> Resources => _series.Keys;

    /// <summary>True when no resource is cached.</summary>
    public bool IsEmpty => _series.Count == 0;

    /// <summary>Starts caching a resource (or resource instance); enabling again changes the bound and keeps the newest entries.</summary>
    /// <param name="path">A resource or resource-instance path.</param>
    /// <param name="capacity">How many entries to keep, 1 to <see cref="MaxCapacity"/>.</param>
    /// <param name="overflow">What happens when full.</param>
    public void Enable(Lwm2mPath path, int capacity, OverflowPolicy overflow = OverflowPolicy.DropOldest)
    {
        if (path.Level < Lwm2mPathLevel.Resource)
        {
            throw new ArgumentException($"A cache belongs to a resource or resource instance, not to {path}.", nameof(path));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, MaxCapacity);
        var series = new Series(capacity, overflow);
        if (_series.TryGetValue(path, out Series? old))
        {
            int skip = Math.Max(0, old.Count - capacity);
            for (int i = skip; i < old.Count; i++)
            {
                series.Add(old[i]);
            }
        }

        _series[path] = series;
    }

    /// <summary>Stops caching a resource and drops its entries.</summary>
    /// <param name="path">The resource.</param>
    public bool Disable(Lwm2mPath path) => _series.Remove(path);

    /// <summary>The bound and policy of a cached resource.</summary>
    /// <param name="path">The resource.</param>
    /// <param name="capacity">Its bound.</param>
    /// <param name="overflow">Its policy.</param>
    public bool TryGetSettings(Lwm2mPath path, out int capacity, out OverflowPolicy overflow)
    {
        bool found = _series.TryGetValue(path, out Series? s);
        capacity = s?.Capacity ?? 0;
        overflow = s?.Overflow ?? default;
        return found;
    }

    /// <summary>How many entries a resource holds (0 when not cached).</summary>
    /// <param name="path">The resource.</param>
    public int Count(Lwm2mPath path) => _series.TryGetValue(path, out Series? s) ? s.Count : 0;

    /// <summary>Offers a value: the validator may refuse it, a full cache drops its oldest entry or refuses, as configured.</summary>
    /// <param name="path">The resource the value was set on.</param>
    /// <param name="value">The value.</param>
    /// <param name="timestamp">When it was measured.</param>
    public TimeSeriesAppendResult Append(Lwm2mPath path, Lwm2mValue value, DateTimeOffset timestamp)
    {
        if (!_series.TryGetValue(path, out Series? series))
        {
            return new(TimeSeriesAppendStatus.NotCached);
        }

        if (!IsFixedSize(value.Type))
        {
            return new(TimeSeriesAppendStatus.UnsupportedType, $"{value.Type} values have no fixed size and are not cached.");
        }

        if (Validator?.Invoke(path, value, timestamp) is { } reason)
        {
            return new(TimeSeriesAppendStatus.Refused, reason);
        }

        bool full = series.Count == series.Capacity;
        if (full && series.Overflow == OverflowPolicy.RefuseNew)
        {
            return new(TimeSeriesAppendStatus.Full, $"The cache of {path} holds {series.Capacity} entries and refuses new ones.");
        }

        series.Add(new Entry(++_lastSequence, timestamp, value));
        return new(TimeSeriesAppendStatus.Accepted, null, full);
    }

    /// <summary>Every entry of the cached resources under <paramref name="path"/>, oldest first per resource, as timestamped records (for Read).</summary>
    /// <param name="path">Any path; the root gives all.</param>
    public List<Lwm2mRecord> GetRecords(Lwm2mPath path)
    {
        List<Lwm2mRecord>? records = null;
        CollectSince(path, 0, ref records);
        return records ?? [];
    }

    /// <summary>Drops every entry, keeping the resources cached.</summary>
    public void Clear()
    {
        foreach (Series s in _series.Values)
        {
            s.Clear();
        }
    }

    /// <summary>True when a cached resource lies under <paramref name="path"/>.</summary>
    internal bool CoversAny(Lwm2mPath path)
    {
        if (_series.Count == 0)
        {
            return false;
        }

        foreach (Lwm2mPath p in _series.Keys)
        {
            if (path.Contains(p) || p.Contains(path))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Adds the entries under <paramref name="path"/> newer than <paramref name="cursor"/> to <paramref name="records"/>
    /// (created on the first entry) and returns the newest sequence seen (the cursor when none).
    /// </summary>
    internal long CollectSince(Lwm2mPath path, long cursor, ref List<Lwm2mRecord>? records)
    {
        long newest = cursor;
        foreach ((Lwm2mPath p, Series s) in _series)
        {
            if (!path.Contains(p))
            {
                continue;
            }

            for (int i = 0; i < s.Count; i++)
            {
                Entry e = s[i];
                if (e.Sequence > cursor)
                {
                    (records ??= []).Add(new Lwm2mRecord(p, e.Value, e.Timestamp));
                    newest = Math.Max(newest, e.Sequence);
                }
            }
        }

        return newest;
    }

    /// <summary>The newest entry's sequence (0 when empty): a new observation starts reporting after it.</summary>
    internal long LastSequence => _lastSequence;

    internal IEnumerable<(Lwm2mPath Path, int Capacity, OverflowPolicy Overflow, IEnumerable<(DateTimeOffset Time, Lwm2mValue Value)> Entries)> Export() =>
        _series.Select(kv => (kv.Key, kv.Value.Capacity, kv.Value.Overflow, kv.Value.Items().Select(e => (e.Timestamp, e.Value))));

    internal void Restore(Lwm2mPath path, DateTimeOffset timestamp, Lwm2mValue value) => _series[path].Add(new Entry(++_lastSequence, timestamp, value));

    internal static bool IsFixedSize(Lwm2mResourceType type) => type is Lwm2mResourceType.Integer or Lwm2mResourceType.UnsignedInteger
        or Lwm2mResourceType.Float or Lwm2mResourceType.Boolean or Lwm2mResourceType.Time or Lwm2mResourceType.Objlnk;

    private readonly record struct Entry(long Sequence, DateTimeOffset Timestamp, Lwm2mValue Value);

    /// <summary>A ring buffer of entries.</summary>
    private sealed class Series(int capacity, OverflowPolicy overflow)
    {
        private readonly Entry[] _ring = new Entry[capacity];
        private int _head;

        public int Capacity => _ring.Length;

        public OverflowPolicy Overflow { get; } = overflow;

        public int Count { get; private set; }

        public Entry this[int index] => _ring[(_head + index) % _ring.Length];

        public void Add(Entry entry)
        {
            if (Count == _ring.Length)
            {
                _ring[_head] = entry;
                _head = (_head + 1) % _ring.Length;
            }
            else
            {
                _ring[(_head + Count) % _ring.Length] = entry;
                Count++;
            }
        }

        public void Clear()
        {
            _head = 0;
            Count = 0;
        }

        public IEnumerable<Entry> Items()
        {
            for (int i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }
    }
}
