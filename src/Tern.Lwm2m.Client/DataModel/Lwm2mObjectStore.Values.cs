using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel;

/// <summary>The application's typed getters and setters.</summary>
public sealed partial class Lwm2mObjectStore
{
    /// <summary>
    /// Sets the value of a single resource (<c>/o/i/r</c>) or of one instance of a multiple resource (<c>/o/i/r/ri</c>),
    /// creating the resource when it has none yet. Raises <see cref="ValuesChanged"/> when the value differs.
    /// </summary>
    /// <exception cref="ArgumentException">The path is not a resource path, the instance does not exist, or the value's type differs from the definition's.</exception>
    public void SetValue(Lwm2mPath path, Lwm2mValue value)
    {
        if (path.Level < Lwm2mPathLevel.Resource)
        {
            throw new ArgumentException($"SetValue takes a resource or resource-instance path, not {path}.", nameof(path));
        }

        using (Lock())
        {
            (ObjectEntry entry, SortedDictionary<int, Lwm2mResource> instance) = Instance(path);
            ResourceDefinition rd = ResourceOf(entry, path);
            if (value.Type != rd.Type)
            {
                throw new ArgumentException($"{path} ({rd.Name}) holds {rd.Type}, not {value.Type}.", nameof(value));
            }

            int rid = path.ResourceId!.Value;
            Lwm2mResource next;
            if (path.Level == Lwm2mPathLevel.Resource)
            {
                if (rd.Multiple)
                {
                    throw new ArgumentException($"{path} is a multiple resource; set /o/i/r/ri or call SetValues.", nameof(path));
                }

                next = new Lwm2mSingleResource(rid, value);
            }
            else
            {
                if (!rd.Multiple)
                {
                    throw new ArgumentException($"{path.Parent} is a single resource; it has no resource instances.", nameof(path));
                }

                int riid = path.ResourceInstanceId!.Value;
                var instances = instance.TryGetValue(rid, out Lwm2mResource? old) && old is Lwm2mMultipleResource m
                    ? m.Instances.Where(i => i.Id != riid).ToList()
                    : [];
                instances.Add(new Lwm2mResourceInstance(riid, value));
                instances.Sort((a, b) => a.Id.CompareTo(b.Id));
                next = new Lwm2mMultipleResource(rid, rd.Type, instances);
            }

            if (!instance.TryGetValue(rid, out Lwm2mResource? current) || !current.Equals(next))
            {
                instance[rid] = next;
                NoteChange(path);
            }
        }
    }

    /// <summary>Replaces every instance of a multiple resource with <paramref name="values"/> (ids as the dictionary gives them).</summary>
    /// <exception cref="ArgumentException">The path is not a multiple resource of an existing instance, or a value's type is wrong.</exception>
    public void SetValues(Lwm2mPath resourcePath, IReadOnlyDictionary<int, Lwm2mValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (resourcePath.Level != Lwm2mPathLevel.Resource)
        {
            throw new ArgumentException($"SetValues takes a resource path, not {resourcePath}.", nameof(resourcePath));
        }

        using (Lock())
        {
            (ObjectEntry entry, SortedDictionary<int, Lwm2mResource> instance) = Instance(resourcePath);
            ResourceDefinition rd = ResourceOf(entry, resourcePath);
            if (!rd.Multiple || values.Values.Any(v => v.Type != rd.Type))
            {
                throw new ArgumentException($"{resourcePath} ({rd.Name}) is {(rd.Multiple ? "multiple" : "single")} of {rd.Type}; SetValues needs a multiple resource and values of its type.", nameof(values));
            }

            var next = new Lwm2mMultipleResource(resourcePath.ResourceId!.Value, rd.Type,
                [.. values.OrderBy(kv => kv.Key).Select(kv => new Lwm2mResourceInstance(kv.Key, kv.Value))]);
            if (!instance.TryGetValue(next.Id, out Lwm2mResource? current) || !current.Equals(next))
            {
                instance[next.Id] = next;
                NoteChange(resourcePath);
            }
        }
    }

    /// <summary>Sets an Integer, Unsigned Integer, Float or Time resource from a whole number, converted to the defined type.</summary>
    public void SetValue(Lwm2mPath path, long value) => SetValue(path, Convert(path, value));

    /// <summary>Sets a Float resource.</summary>
    public void SetValue(Lwm2mPath path, double value) => SetValue(path, Lwm2mValue.FromFloat(value));

    /// <summary>Sets a String (or Corelnk) resource.</summary>
    public void SetValue(Lwm2mPath path, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        SetValue(path, TypeOf(path) == Lwm2mResourceType.Corelnk ? Lwm2mValue.FromCoreLink(value) : Lwm2mValue.FromString(value));
    }

    /// <summary>Sets a Boolean resource.</summary>
    public void SetValue(Lwm2mPath path, bool value) => SetValue(path, Lwm2mValue.FromBoolean(value));

    /// <summary>Sets a Time resource.</summary>
    public void SetValue(Lwm2mPath path, DateTimeOffset value) => SetValue(path, Lwm2mValue.FromTime(value));

    /// <summary>Sets an Opaque resource (the array is kept, not copied).</summary>
    public void SetValue(Lwm2mPath path, byte[] value) => SetValue(path, Lwm2mValue.FromOpaque(value));

    /// <summary>Sets an Objlnk resource.</summary>
    public void SetValue(Lwm2mPath path, Lwm2mObjectLink value) => SetValue(path, Lwm2mValue.FromObjectLink(value));

    /// <summary>Removes a resource's value or one resource instance; false when there was none.</summary>
    public bool RemoveValue(Lwm2mPath path)
    {
        if (path.Level < Lwm2mPathLevel.Resource)
        {
            throw new ArgumentException($"RemoveValue takes a resource or resource-instance path, not {path}; use DeleteInstance for instances.", nameof(path));
        }

        using (Lock())
        {
            if (Find(path.Level == Lwm2mPathLevel.Resource ? path.Parent : path.Parent.Parent) is not SortedDictionary<int, Lwm2mResource> instance
                || !instance.TryGetValue(path.ResourceId!.Value, out Lwm2mResource? resource))
            {
                return false;
            }

            if (path.Level == Lwm2mPathLevel.Resource)
            {
                instance.Remove(resource.Id);
            }
            else if (resource is Lwm2mMultipleResource m && m.Instances.Any(i => i.Id == path.ResourceInstanceId))
            {
                instance[resource.Id] = m with { Instances = [.. m.Instances.Where(i => i.Id != path.ResourceInstanceId)] };
            }
            else
            {
                return false;
            }

            NoteChange(path);
            return true;
        }
    }

    /// <summary>The value of a single resource or a resource instance; false when it has none.</summary>
    public bool TryGetValue(Lwm2mPath path, out Lwm2mValue value)
    {
        lock (_gate)
        {
            object? found = path.Level >= Lwm2mPathLevel.Resource ? Find(path) : null;
            (bool ok, value) = found switch
            {
                Lwm2mSingleResource s => (true, s.Value),
                Lwm2mResourceInstance ri => (true, ri.Value),
                _ => (false, default),
            };
            return ok;
        }
    }

    /// <summary>The value of a single resource or resource instance.</summary>
    /// <exception cref="KeyNotFoundException">It has no value.</exception>
    public Lwm2mValue GetValue(Lwm2mPath path) =>
        TryGetValue(path, out Lwm2mValue value) ? value : throw new KeyNotFoundException($"{path} has no value.");

    /// <summary>A snapshot of the node at a path (object, instance, resource or resource instance), or null when it does not exist.</summary>
    public Lwm2mNode? GetNode(Lwm2mPath path)
    {
        if (path.IsRoot)
        {
            throw new ArgumentException("GetNode takes an object, instance, resource or resource-instance path.", nameof(path));
        }

        lock (_gate)
        {
            return Find(path) switch
            {
                ObjectEntry entry => new Lwm2mObject(entry.Definition.Id, [.. entry.Instances.Select(kv => new Lwm2mObjectInstance(kv.Key, [.. kv.Value.Values]))]),
                SortedDictionary<int, Lwm2mResource> instance => new Lwm2mObjectInstance(path.InstanceId!.Value, [.. instance.Values]),
                Lwm2mNode node => node,
                _ => null,
            };
        }
    }

    private (ObjectEntry Entry, SortedDictionary<int, Lwm2mResource> Instance) Instance(Lwm2mPath path)
    {
        ObjectEntry entry = Entry(path.ObjectId!.Value);
        return entry.Instances.TryGetValue(path.InstanceId!.Value, out SortedDictionary<int, Lwm2mResource>? instance)
            ? (entry, instance)
            : throw new ArgumentException($"Instance /{path.ObjectId}/{path.InstanceId} does not exist; call CreateInstance first.", nameof(path));
    }

    private static ResourceDefinition ResourceOf(ObjectEntry entry, Lwm2mPath path) =>
        entry.Definition.GetResource(path.ResourceId!.Value)
            ?? throw new ArgumentException($"Object {entry.Definition.Id} defines no resource {path.ResourceId}.", nameof(path));

    private Lwm2mResourceType TypeOf(Lwm2mPath path)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(path.ObjectId ?? -1, out ObjectEntry? entry) && path.ResourceId is { } rid
                ? entry.Definition.GetResource(rid)?.Type ?? Lwm2mResourceType.None
                : Lwm2mResourceType.None;
        }
    }

    private Lwm2mValue Convert(Lwm2mPath path, long value) => TypeOf(path) switch
    {
        Lwm2mResourceType.UnsignedInteger when value >= 0 => Lwm2mValue.FromUnsignedInteger((ulong)value),
        Lwm2mResourceType.Float => Lwm2mValue.FromFloat(value),
        Lwm2mResourceType.Time => Lwm2mValue.FromUnixTime(value),
        _ => Lwm2mValue.FromInteger(value),
    };
}
