using System.Buffers;

namespace Tern.Lwm2m.Formats;

/// <summary>
/// A growable list over <see cref="ArrayPool{T}"/> arrays for children a decoder collects before it knows how
/// many there are: <see cref="ToArray"/> then copies them into one array of exactly the right size, so the
/// node keeps no slack and no list object. A mutable struct: keep it in a local and always <see cref="Dispose"/> it.
/// </summary>
internal struct ScratchList<T> : IDisposable
{
    private T[]? _items;

    /// <summary>How many items were added.</summary>
    public int Count { get; private set; }

    /// <summary>The items added so far.</summary>
    public readonly Span<T> Items => _items is null ? [] : _items.AsSpan(0, Count);

    /// <summary>Appends one item.</summary>
    public void Add(T item)
    {
        if (_items is null || Count == _items.Length)
        {
            T[] larger = ArrayPool<T>.Shared.Rent(Math.Max(8, Count * 2));
            if (_items is not null)
            {
                _items.AsSpan(0, Count).CopyTo(larger);
                Release(_items, Count);
            }

            _items = larger;
        }

        _items[Count++] = item;
    }

    /// <summary>The items in a new array of exactly <see cref="Count"/> elements.</summary>
    public readonly T[] ToArray() => Items.ToArray();

    /// <summary>Returns the pooled array, cleared so it holds on to nothing.</summary>
    public void Dispose()
    {
        if (_items is not null)
        {
            Release(_items, Count);
            _items = null;
        }

        Count = 0;
    }

    private static void Release(T[] items, int count)
    {
        Array.Clear(items, 0, count);
        ArrayPool<T>.Shared.Return(items);
    }
}
