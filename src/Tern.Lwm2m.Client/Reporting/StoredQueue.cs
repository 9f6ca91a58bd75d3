namespace Tern.Lwm2m.Client.Reporting;

/// <summary>
/// The notifications and Sends of one server made while it was offline or disabled, oldest first, bounded: when
/// full the oldest is dropped or the new one refused; an observation's hqmax bounds its own share.
/// </summary>
internal sealed class StoredQueue
{
    private readonly LinkedList<ReportingAction> _items = new();

    public int Count => _items.Count;

    public long Dropped { get; private set; }

    public void Enqueue(ReportingAction action, int max, OverflowPolicy policy, long? perObservationMax)
    {
        if (action is NotifyAction notify && perObservationMax is { } hq)
        {
            if (hq <= 0)
            {
                Dropped++;
                return;
            }

            long mine = 0;
            LinkedListNode<ReportingAction>? oldestMine = null;
            for (LinkedListNode<ReportingAction>? n = _items.First; n is not null; n = n.Next)
            {
                if (n.Value is NotifyAction other && other.ObservationId == notify.ObservationId)
                {
                    oldestMine ??= n;
                    mine++;
                }
            }

            if (mine >= hq && oldestMine is not null)
            {
                _items.Remove(oldestMine);
                Dropped++;
            }
        }

        if (_items.Count >= max)
        {
            Dropped++;
            if (policy == OverflowPolicy.RefuseNew || max == 0)
            {
                return;
            }

            _items.RemoveFirst();
        }

        _items.AddLast(action);
    }

    /// <summary>Puts back an action that was taken earlier, before every stored action made after it.</summary>
    public void Return(ReportingAction action, int max)
    {
        if (_items.Count >= max)
        {
            Dropped++;
            return;
        }

        LinkedListNode<ReportingAction>? later = _items.First;
        while (later is not null && later.Value.Order < action.Order)
        {
            later = later.Next;
        }

        if (later is null)
        {
            _items.AddLast(action);
        }
        else
        {
            _items.AddBefore(later, action);
        }
    }

    public bool TryDequeue([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReportingAction? action)
    {
        action = _items.First?.Value;
        if (action is null)
        {
            return false;
        }

        _items.RemoveFirst();
        return true;
    }

    public void Clear() => _items.Clear();
}
