using System.Buffers;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats;

/// <summary>One decoded record held by value: what a <see cref="Lwm2mRecord"/> carries, without the heap object.</summary>
internal readonly record struct DecodedRecord(Lwm2mPath Path, Lwm2mValue? Value, DateTimeOffset? Timestamp);

/// <summary>
/// Scratch space the record decoders fill: an <see cref="ArrayPool{T}"/> array of <see cref="DecodedRecord"/>
/// that grows by renting a larger one. Node building reads (and sorts) the records in place, so a decode
/// to a node allocates none of them; <see cref="ToRecords"/> makes the public record objects when asked.
/// One buffer per thread is kept for reuse (decoders do not nest), so renting one costs nothing once warm.
/// </summary>
internal sealed class RecordBuffer : IDisposable
{
    private const int InitialCapacity = 16;

    [ThreadStatic]
    private static RecordBuffer? t_spare;

    private DecodedRecord[] _items = [];

    private RecordBuffer()
    {
    }

    /// <summary>How many records the buffer holds.</summary>
    public int Count { get; private set; }

    /// <summary>The records added so far, in order; sorting them in place is allowed.</summary>
    public Span<DecodedRecord> Records => _items.AsSpan(0, Count);

    /// <summary>An empty buffer: this thread's spare one if it is free, else a new one.</summary>
    public static RecordBuffer Rent()
    {
        RecordBuffer buffer = t_spare ?? new RecordBuffer();
        t_spare = null;
        return buffer;
    }

    /// <summary>Appends one record.</summary>
    public void Add(Lwm2mPath path, Lwm2mValue? value, DateTimeOffset? timestamp = null)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        _items[Count++] = new DecodedRecord(path, value, timestamp);
    }

    /// <summary>The records as the public record objects, in the order they were added.</summary>
    public List<Lwm2mRecord> ToRecords()
    {
        var records = new List<Lwm2mRecord>(Count);
        foreach (DecodedRecord record in Records)
        {
            records.Add(new Lwm2mRecord(record.Path, record.Value, record.Timestamp));
        }

        return records;
    }

    /// <summary>Hands the array back to the pool (cleared: it holds strings and arrays) and keeps this buffer as the thread's spare.</summary>
    public void Dispose()
    {
        if (_items.Length > 0)
        {
            Array.Clear(_items, 0, Count);
            ArrayPool<DecodedRecord>.Shared.Return(_items);
            _items = [];
        }

        Count = 0;
        t_spare = this;
    }

    private void Grow()
    {
        DecodedRecord[] larger = ArrayPool<DecodedRecord>.Shared.Rent(Math.Max(InitialCapacity, _items.Length * 2));
        if (_items.Length > 0)
        {
            _items.AsSpan(0, Count).CopyTo(larger);
            Array.Clear(_items, 0, Count);
            ArrayPool<DecodedRecord>.Shared.Return(_items);
        }

        _items = larger;
    }
}
