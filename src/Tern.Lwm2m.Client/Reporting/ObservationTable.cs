namespace Tern.Lwm2m.Client.Reporting;

/// <summary>
/// The observations of one server, keyed by token: a new Observe with a token already in use replaces the old
/// observation (RFC 7641 §4.1); cancelling (GET with Observe=1, a Reset to a notification, Cancel-Observe-Composite)
/// removes by token; a new registration session clears the table.
/// </summary>
public sealed class ObservationTable
{
    private readonly List<Observation> _items = [];

    /// <summary>The observations, oldest first.</summary>
    public IReadOnlyList<Observation> Items => _items;

    /// <summary>How many observations the server holds.</summary>
    public int Count => _items.Count;

    /// <summary>The observation with this token, or null.</summary>
    /// <param name="token">The CoAP token.</param>
    public Observation? Find(ReadOnlySpan<byte> token)
    {
        int index = IndexOf(token);
        return index < 0 ? null : _items[index];
    }

    internal void AddOrReplace(Observation observation)
    {
        int index = IndexOf(observation.TokenBytes);
        if (index >= 0)
        {
            _items[index] = observation;
        }
        else
        {
            _items.Add(observation);
        }
    }

    internal Observation? Remove(ReadOnlySpan<byte> token)
    {
        int index = IndexOf(token);
        if (index < 0)
        {
            return null;
        }

        Observation removed = _items[index];
        _items.RemoveAt(index);
        return removed;
    }

    internal void Clear() => _items.Clear();

    private int IndexOf(ReadOnlySpan<byte> token)
    {
        for (int i = 0; i < _items.Count; i++)
        {
            if (token.SequenceEqual(_items[i].TokenBytes))
            {
                return i;
            }
        }

        return -1;
    }
}
