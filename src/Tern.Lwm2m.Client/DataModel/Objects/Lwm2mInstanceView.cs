using System.Globalization;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Client.DataModel.Objects;

/// <summary>
/// The base of the typed standard objects: one object instance of a <see cref="Lwm2mObjectStore"/> seen through
/// typed properties. Setting a property sets the resource (raising the store's change event); setting null removes
/// an optional resource. Reads and writes go through the store, so a server's Write shows in the properties.
/// </summary>
public abstract class Lwm2mInstanceView
{
    /// <summary>Declares the object when needed and creates the instance when it does not exist.</summary>
    /// <param name="store">The store.</param>
    /// <param name="objectId">The object id.</param>
    /// <param name="instanceId">The instance id.</param>
    protected Lwm2mInstanceView(Lwm2mObjectStore store, int objectId, int instanceId)
    {
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        Path = new Lwm2mPath(objectId, instanceId);
        using (store.Lock())
        {
            if (!store.HasObject(objectId))
            {
                store.AddObject(objectId);
            }

            if (!store.Exists(Path))
            {
                store.CreateInstance(objectId, instanceId);
            }
        }
    }

    /// <summary>The store the instance lives in.</summary>
    public Lwm2mObjectStore Store { get; }

    /// <summary>The instance path, e.g. <c>/3/0</c>.</summary>
    public Lwm2mPath Path { get; }

    /// <summary>The value of resource <paramref name="rid"/>, or null.</summary>
    protected Lwm2mValue? Get(int rid) => Store.TryGetValue(Path.Append(rid), out Lwm2mValue value) ? value : null;

    /// <summary>Sets resource <paramref name="rid"/>, or removes it when <paramref name="value"/> is null.</summary>
    protected void Set(int rid, Lwm2mValue? value)
    {
        if (value is { } v)
        {
            Store.SetValue(Path.Append(rid), v);
        }
        else
        {
            Store.RemoveValue(Path.Append(rid));
        }
    }

    /// <summary>A String resource.</summary>
    protected string? GetString(int rid) => Get(rid) is { Type: Lwm2mResourceType.String } v ? v.AsString() : null;

    /// <summary>Sets a String resource (null removes it).</summary>
    protected void SetString(int rid, string? value) => Set(rid, value is null ? null : Lwm2mValue.FromString(value));

    /// <summary>An Integer resource.</summary>
    protected long? GetInteger(int rid) => Get(rid) is { Type: Lwm2mResourceType.Integer } v ? v.AsInteger() : null;

    /// <summary>Sets an Integer resource (null removes it).</summary>
    protected void SetInteger(int rid, long? value) => Set(rid, value is { } v ? Lwm2mValue.FromInteger(v) : null);

    /// <summary>A Float resource.</summary>
    protected double? GetFloat(int rid) => Get(rid) is { Type: Lwm2mResourceType.Float } v ? v.AsFloat() : null;

    /// <summary>Sets a Float resource (null removes it).</summary>
    protected void SetFloat(int rid, double? value) => Set(rid, value is { } v ? Lwm2mValue.FromFloat(v) : null);

    /// <summary>A Time resource.</summary>
    protected DateTimeOffset? GetTime(int rid) => Get(rid) is { Type: Lwm2mResourceType.Time } v ? v.AsTime() : null;

    /// <summary>Sets a Time resource (null removes it).</summary>
    protected void SetTime(int rid, DateTimeOffset? value) => Set(rid, value is { } v ? Lwm2mValue.FromTime(v) : null);

    /// <summary>The instances of a multiple resource, in id order.</summary>
    protected IReadOnlyList<Lwm2mValue> GetMany(int rid) =>
        Store.GetNode(Path.Append(rid)) is Lwm2mMultipleResource m ? [.. m.Instances.Select(i => i.Value)] : [];

    /// <summary>Replaces a multiple resource with <paramref name="values"/>, numbered from 0 (empty removes it).</summary>
    protected void SetMany(int rid, IEnumerable<Lwm2mValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var numbered = values.Select((v, k) => (k, v)).ToDictionary(p => p.k, p => p.v);
        if (numbered.Count == 0)
        {
            Store.RemoveValue(Path.Append(rid));
            return;
        }

        Store.SetValues(Path.Append(rid), numbered);
    }

    /// <summary>An invariant rendering for log messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{GetType().Name} {Path}");
}
