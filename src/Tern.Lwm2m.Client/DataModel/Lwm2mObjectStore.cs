using Tern.Lwm2m.Client.Engine;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>
/// The client's data model: the objects the application declares, their instances and resource values, and the
/// handlers through which the application takes part in server operations. Every member is thread-safe: the
/// application sets values from its own threads while requests arrive on the receive loop. Each change raises
/// <see cref="ValuesChanged"/> once; inside <see cref="Lock"/> the changes are gathered and raised together when the
/// outermost lock is released (seed 003's registry lock). Events run on the thread that made the change, after the
/// store's lock is released.
/// </summary>
public sealed partial class Lwm2mObjectStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<int, ObjectEntry> _objects = [];

    /// <summary>Creates an empty store.</summary>
    /// <param name="definitions">Where object definitions come from; the built-in objects when null.</param>
    public Lwm2mObjectStore(IObjectDefinitionProvider? definitions = null)
    {
        Definitions = definitions ?? new ObjectDefinitionRegistry();
        Attributes = new Lwm2mAttributeStore();
    }

    /// <summary>The object definitions the store checks values against and decoders learn types from.</summary>
    public IObjectDefinitionProvider Definitions { get; }

    /// <summary>The notification attributes servers wrote with Write-Attributes, per server.</summary>
    public Lwm2mAttributeStore Attributes { get; }

    /// <summary>The ids of the declared objects, ascending.</summary>
    public IReadOnlyList<int> ObjectIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _objects.Keys];
            }
        }
    }

    /// <summary>Declares object <paramref name="objectId"/> with the definition <see cref="Definitions"/> holds.</summary>
    /// <param name="objectId">The object id.</param>
    /// <param name="handler">Optional application handler for the object.</param>
    /// <exception cref="ArgumentException">The object has no definition, or is declared already.</exception>
    public void AddObject(int objectId, ILwm2mObjectHandler? handler = null)
    {
        ObjectDefinition definition = Definitions.GetObject(objectId)
            ?? throw new ArgumentException($"Object {objectId} has no definition; add one to the definition registry first, or call AddObject(ObjectDefinition).", nameof(objectId));
        AddObject(definition, handler);
    }

    /// <summary>Declares an object with the given definition (which wins over <see cref="Definitions"/> for this store).</summary>
    /// <param name="definition">The object definition.</param>
    /// <param name="handler">Optional application handler for the object.</param>
    /// <exception cref="ArgumentException">The object is declared already.</exception>
    public void AddObject(ObjectDefinition definition, ILwm2mObjectHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        using (Lock())
        {
            if (_objects.ContainsKey(definition.Id))
            {
                throw new ArgumentException($"Object {definition.Id} is declared already; use SetHandler to change its handler.", nameof(definition));
            }

            _objects[definition.Id] = new ObjectEntry(definition) { Handler = handler };
            _instancesChanged = true;
        }
    }

    /// <summary>True when object <paramref name="objectId"/> is declared.</summary>
    public bool HasObject(int objectId)
    {
        lock (_gate)
        {
            return _objects.ContainsKey(objectId);
        }
    }

    /// <summary>The definition of a declared object, or null.</summary>
    public ObjectDefinition? GetDefinition(int objectId)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(objectId, out ObjectEntry? entry) ? entry.Definition : null;
        }
    }

    /// <summary>Sets or clears the application handler of a declared object.</summary>
    /// <exception cref="ArgumentException">The object is not declared.</exception>
    public void SetHandler(int objectId, ILwm2mObjectHandler? handler)
    {
        lock (_gate)
        {
            Entry(objectId).Handler = handler;
        }
    }

    /// <summary>The handler of an object, or null.</summary>
    public ILwm2mObjectHandler? GetHandler(int objectId)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(objectId, out ObjectEntry? entry) ? entry.Handler : null;
        }
    }

    /// <summary>The instance ids of an object, ascending; empty when the object is not declared.</summary>
    public IReadOnlyList<int> GetInstanceIds(int objectId)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(objectId, out ObjectEntry? entry) ? [.. entry.Instances.Keys] : [];
        }
    }

    /// <summary>True when <paramref name="path"/> exists: a declared object, an instance, a resource with a value, or a resource instance.</summary>
    public bool Exists(Lwm2mPath path)
    {
        lock (_gate)
        {
            return path.IsRoot || Find(path) is not null;
        }
    }

    /// <summary>
    /// Creates an instance of a declared object, with optional initial resources (checked against the definition).
    /// </summary>
    /// <param name="objectId">The object.</param>
    /// <param name="instanceId">The id, or null for the lowest free one.</param>
    /// <param name="resources">Initial resources.</param>
    /// <returns>The new instance's id.</returns>
    /// <exception cref="ArgumentException">The object is not declared, the instance exists, or a resource does not fit the definition.</exception>
    /// <exception cref="InvalidOperationException">The object is single-instance and has its instance already.</exception>
    public int CreateInstance(int objectId, int? instanceId = null, IEnumerable<Lwm2mResource>? resources = null)
    {
        using (Lock())
        {
            ObjectEntry entry = Entry(objectId);
            int id = instanceId ?? FreeInstanceId(entry);
            if ((uint)id > Lwm2mPath.MaxId)
            {
                throw new ArgumentOutOfRangeException(nameof(instanceId), id, "Instance ids are 0–65534.");
            }

            if (entry.Instances.ContainsKey(id))
            {
                throw new ArgumentException($"Instance /{objectId}/{id} exists already.", nameof(instanceId));
            }

            if (!entry.Definition.Multiple && entry.Instances.Count > 0)
            {
                throw new InvalidOperationException($"Object {objectId} is single-instance and has instance {entry.Instances.Keys.First()} already.");
            }

            var instance = new SortedDictionary<int, Lwm2mResource>();
            foreach (Lwm2mResource resource in resources ?? [])
            {
                if (CheckResource(entry.Definition, resource) is { } problem)
                {
                    throw new ArgumentException($"/{objectId}/{id}/{resource.Id}: {problem}", nameof(resources));
                }

                instance[resource.Id] = resource;
            }

            entry.Instances[id] = instance;
            NoteInstance(new Lwm2mPath(objectId, id), created: true);
            return id;
        }
    }

    /// <summary>Deletes an instance; false when it did not exist.</summary>
    public bool DeleteInstance(int objectId, int instanceId)
    {
        using (Lock())
        {
            if (!_objects.TryGetValue(objectId, out ObjectEntry? entry) || !entry.Instances.Remove(instanceId))
            {
                return false;
            }

            var path = new Lwm2mPath(objectId, instanceId);
            Attributes.RemoveUnder(path);
            NoteInstance(path, created: false);
            return true;
        }
    }

    /// <summary>
    /// The objects and instances to advertise in Register and Update, from what the store holds. The Security object
    /// (0) and the OSCORE object (21) are left out: the TS forbids listing them.
    /// </summary>
    public IReadOnlyList<Lwm2mObjectAdvert> GetObjectAdverts()
    {
        lock (_gate)
        {
            return [.. _objects.Values.Where(e => e.Definition.Id is not (0 or 21)).Select(e => new Lwm2mObjectAdvert(
                (ushort)e.Definition.Id,
                e.Definition.Version is "1.0" or "" ? null : e.Definition.Version,
                [.. e.Instances.Keys.Select(k => (ushort)k)]))];
        }
    }

    private ObjectEntry Entry(int objectId) =>
        _objects.TryGetValue(objectId, out ObjectEntry? entry) ? entry
            : throw new ArgumentException($"Object {objectId} is not declared; call AddObject first.", nameof(objectId));

    private static int FreeInstanceId(ObjectEntry entry)
    {
        int id = 0;
        while (entry.Instances.ContainsKey(id))
        {
            id++;
        }

        return id;
    }

    /// <summary>Under the lock: the stored node at a path (object entry, instance, resource or resource instance), or null.</summary>
    private object? Find(Lwm2mPath path)
    {
        if (!_objects.TryGetValue(path.ObjectId!.Value, out ObjectEntry? entry))
        {
            return null;
        }

        if (path.Level == Lwm2mPathLevel.Object)
        {
            return entry;
        }

        if (!entry.Instances.TryGetValue(path.InstanceId!.Value, out SortedDictionary<int, Lwm2mResource>? instance))
        {
            return null;
        }

        if (path.Level == Lwm2mPathLevel.ObjectInstance)
        {
            return instance;
        }

        if (!instance.TryGetValue(path.ResourceId!.Value, out Lwm2mResource? resource))
        {
            return null;
        }

        if (path.Level == Lwm2mPathLevel.Resource)
        {
            return resource;
        }

        return resource is Lwm2mMultipleResource multiple ? multiple.Instances.FirstOrDefault(ri => ri.Id == path.ResourceInstanceId) : null;
    }

    /// <summary>Why a resource does not fit its definition, or null when it does (unknown resources are accepted as they are).</summary>
    internal static string? CheckResource(ObjectDefinition definition, Lwm2mResource resource)
    {
        if (definition.GetResource(resource.Id) is not { } rd)
        {
            return "the object defines no such resource";
        }

        if (rd.Type == Lwm2mResourceType.None)
        {
            return "the resource is executable and holds no value";
        }

        switch (resource)
        {
            case Lwm2mSingleResource single when rd.Multiple:
                return "the resource is multiple; give its instances";
            case Lwm2mSingleResource single when single.Value.Type != rd.Type:
                return $"the resource holds {rd.Type}, not {single.Value.Type}";
            case Lwm2mMultipleResource when !rd.Multiple:
                return "the resource is single; give one value";
            case Lwm2mMultipleResource multiple when multiple.Instances.Any(i => i.Value.Type != rd.Type):
                return $"the resource instances hold {rd.Type}";
            default:
                return null;
        }
    }

    private sealed class ObjectEntry(ObjectDefinition definition)
    {
        public ObjectDefinition Definition { get; } = definition;

        public ILwm2mObjectHandler? Handler { get; set; }

        public SortedDictionary<int, SortedDictionary<int, Lwm2mResource>> Instances { get; } = [];
    }
}
