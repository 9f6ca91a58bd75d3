namespace Tern.Lwm2m.Model;

/// <summary>
/// A node of the LwM2M data tree: an object, an object instance, a single resource,
/// a multiple resource, or a resource instance. Nodes are immutable. Equality is by value and
/// ignores the order of children (formats may carry them in any order), but not their number.
/// </summary>
public abstract record Lwm2mNode(int Id);

/// <summary>An object and its instances.</summary>
public sealed record Lwm2mObject(int Id, IReadOnlyList<Lwm2mObjectInstance> Instances) : Lwm2mNode(Id)
{
    /// <inheritdoc />
    public bool Equals(Lwm2mObject? other) => other is not null && Id == other.Id && NodeLists.SameById(Instances, other.Instances);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Instances.Count);
}

/// <summary>An object instance and its resources.</summary>
public sealed record Lwm2mObjectInstance(int Id, IReadOnlyList<Lwm2mResource> Resources) : Lwm2mNode(Id)
{
    /// <inheritdoc />
    public bool Equals(Lwm2mObjectInstance? other) => other is not null && Id == other.Id && NodeLists.SameById(Resources, other.Resources);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Resources.Count);
}

/// <summary>A resource: single-valued or multiple.</summary>
public abstract record Lwm2mResource(int Id) : Lwm2mNode(Id);

/// <summary>A single-instance resource with its value.</summary>
public sealed record Lwm2mSingleResource(int Id, Lwm2mValue Value) : Lwm2mResource(Id);

/// <summary>A multiple-instance resource; its instances are kept in ascending id order.</summary>
public sealed record Lwm2mMultipleResource(int Id, Lwm2mResourceType Type, IReadOnlyList<Lwm2mResourceInstance> Instances) : Lwm2mResource(Id)
{
    /// <inheritdoc />
    public bool Equals(Lwm2mMultipleResource? other) =>
        other is not null && Id == other.Id && Type == other.Type && NodeLists.SameById(Instances, other.Instances);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Type, Instances.Count);
}

/// <summary>One instance of a multiple resource.</summary>
public sealed record Lwm2mResourceInstance(int Id, Lwm2mValue Value) : Lwm2mNode(Id);

/// <summary>
/// One value at a full path with an optional timestamp: the flat form SenML, composite
/// operations and time series use (a SenML record resolved to an absolute path and time).
/// </summary>
/// <param name="Path">A resource or resource-instance path (or an object instance path with no value, for composite reads).</param>
/// <param name="Value">The value, or null where the record names a path without a value.</param>
/// <param name="Timestamp">The record's absolute time, or null when it has none.</param>
public sealed record Lwm2mRecord(Lwm2mPath Path, Lwm2mValue? Value, DateTimeOffset? Timestamp = null);

/// <summary>Order-insensitive comparison of child lists, keyed by id.</summary>
internal static class NodeLists
{
    /// <summary>True when both lists hold equal children, in whatever order.</summary>
    public static bool SameById<T>(IReadOnlyList<T> left, IReadOnlyList<T> right)
        where T : Lwm2mNode
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left.Count != right.Count)
        {
            return false;
        }

        if (left.SequenceEqual(right))
        {
            return true;
        }

        // Children may arrive in any order; compare them sorted by id (stable, so duplicates line up as given).
        return left.OrderBy(n => n.Id).SequenceEqual(right.OrderBy(n => n.Id));
    }
}
