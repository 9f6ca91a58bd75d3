using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>The registry lock and the change events it batches.</summary>
public sealed partial class Lwm2mObjectStore
{
    private readonly List<Lwm2mPath> _changed = [];
    private readonly List<Lwm2mPath> _created = [];
    private readonly List<Lwm2mPath> _deleted = [];
    private int _depth;
    private bool _instancesChanged;

    /// <summary>
    /// Values changed (by the application or by a server). Raised once per change, or once per outermost
    /// <see cref="Lock"/> with every path changed meanwhile; the reporting layer evaluates observations from it.
    /// </summary>
    public event EventHandler<Lwm2mValuesChangedEventArgs>? ValuesChanged;

    /// <summary>Instances were created or deleted, or objects declared: the advertised objects changed.</summary>
    public event EventHandler<Lwm2mInstancesChangedEventArgs>? InstancesChanged;

    /// <summary>A server executed a resource and the object's handler accepted it (raised after the handler ran).</summary>
    public event EventHandler<Lwm2mExecutedEventArgs>? Executed;

    /// <summary>
    /// Takes the registry lock: until the returned scope is disposed, no request reads or writes the store and the
    /// changes made on this thread are gathered into one <see cref="ValuesChanged"/> event. Scopes nest; dispose on
    /// the thread that took it (<c>using (store.Lock()) { ... }</c>).
    /// </summary>
    public Lwm2mStoreLock Lock()
    {
        _gate.Enter();
        _depth++;
        return new Lwm2mStoreLock(this);
    }

    internal void Release()
    {
        Lwm2mValuesChangedEventArgs? values = null;
        Lwm2mInstancesChangedEventArgs? instances = null;
        try
        {
            if (--_depth == 0)
            {
                if (_changed.Count > 0)
                {
                    // Kept in a list (no node per change, unlike a sorted set): sorted and made unique here, once.
                    if (_changed.Count > 1)
                    {
                        _changed.Sort();
                    }

                    values = new Lwm2mValuesChangedEventArgs(Unique(_changed));
                    _changed.Clear();
                }

                if (_instancesChanged)
                {
                    instances = new Lwm2mInstancesChangedEventArgs([.. _created], [.. _deleted]);
                    _created.Clear();
                    _deleted.Clear();
                    _instancesChanged = false;
                }
            }
        }
        finally
        {
            _gate.Exit();
        }

        if (values is not null)
        {
            ValuesChanged?.Invoke(this, values);
        }

        if (instances is not null)
        {
            InstancesChanged?.Invoke(this, instances);
        }
    }

    internal void RaiseExecuted(Lwm2mExecutedEventArgs args) => Executed?.Invoke(this, args);

    /// <summary>Under the lock: records a changed value path.</summary>
    private void NoteChange(Lwm2mPath path)
    {
        if (_changed.Count == 0 || !_changed[^1].Equals(path))
        {
            _changed.Add(path);
        }
    }

    /// <summary>The distinct paths of a sorted list, as an array.</summary>
    private static Lwm2mPath[] Unique(List<Lwm2mPath> sorted)
    {
        int distinct = 1;
        for (int i = 1; i < sorted.Count; i++)
        {
            if (!sorted[i].Equals(sorted[i - 1]))
            {
                distinct++;
            }
        }

        var paths = new Lwm2mPath[distinct];
        paths[0] = sorted[0];
        for (int i = 1, next = 1; i < sorted.Count; i++)
        {
            if (!sorted[i].Equals(sorted[i - 1]))
            {
                paths[next++] = sorted[i];
            }
        }

        return paths;
    }

    /// <summary>Under the lock: records a created or deleted instance.</summary>
    private void NoteInstance(Lwm2mPath instancePath, bool created)
    {
        (created ? _created : _deleted).Add(instancePath);
        _instancesChanged = true;
        _changed.Add(instancePath);
    }
}

/// <summary>The scope of <see cref="Lwm2mObjectStore.Lock"/>; dispose it to release the lock and raise the gathered events.</summary>
public readonly struct Lwm2mStoreLock : IDisposable, IEquatable<Lwm2mStoreLock>
{
    private readonly Lwm2mObjectStore? _store;

    internal Lwm2mStoreLock(Lwm2mObjectStore store) => _store = store;

    /// <summary>Releases the lock (once per <see cref="Lwm2mObjectStore.Lock"/>).</summary>
    public void Dispose() => _store?.Release();

    /// <inheritdoc />
    public bool Equals(Lwm2mStoreLock other) => ReferenceEquals(_store, other._store);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Lwm2mStoreLock other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _store?.GetHashCode() ?? 0;

    /// <summary>Same store.</summary>
    public static bool operator ==(Lwm2mStoreLock left, Lwm2mStoreLock right) => left.Equals(right);

    /// <summary>Different stores.</summary>
    public static bool operator !=(Lwm2mStoreLock left, Lwm2mStoreLock right) => !left.Equals(right);
}
