using Tern.Lwm2m.Definitions;

namespace Tern.Lwm2m.Model;

/// <summary>
/// Converts between the node tree and flat records (absolute path + value), the form SenML-shaped
/// formats carry. Flattening never fails; building checks that every record lies under the request
/// path and fits its level.
/// </summary>
public static class Lwm2mNodeRecords
{
    /// <summary>
    /// Flattens <paramref name="node"/> found at <paramref name="path"/> into records, children in the
    /// order the node holds them. A multiple resource with no instances yields no record.
    /// </summary>
    /// <exception cref="ArgumentException">The node's kind or id does not fit the path (e.g. an instance at a resource path).</exception>
    public static List<Lwm2mRecord> Flatten(Lwm2mPath path, Lwm2mNode node, DateTimeOffset? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckFits(path, node);
        var records = new List<Lwm2mRecord>();
        Add(records, path, node, timestamp);
        return records;
    }

    private static void CheckFits(Lwm2mPath path, Lwm2mNode node)
    {
        Lwm2mPathLevel expected = node switch
        {
            Lwm2mObject => Lwm2mPathLevel.Object,
            Lwm2mObjectInstance => Lwm2mPathLevel.ObjectInstance,
            Lwm2mResource => Lwm2mPathLevel.Resource,
            _ => Lwm2mPathLevel.ResourceInstance,
        };
        if (path.Level != expected)
        {
            throw new ArgumentException($"A {node.GetType().Name} belongs at a {expected} path, not at {path}.", nameof(path));
        }

        int last = path.ResourceInstanceId ?? path.ResourceId ?? path.InstanceId ?? path.ObjectId!.Value;
        if (last != node.Id)
        {
            throw new ArgumentException($"The node's id {node.Id} differs from the last id of {path}.", nameof(path));
        }
    }

    private static void Add(List<Lwm2mRecord> records, Lwm2mPath path, Lwm2mNode node, DateTimeOffset? timestamp)
    {
        switch (node)
        {
            case Lwm2mObject o:
                foreach (Lwm2mObjectInstance instance in o.Instances)
                {
                    Add(records, path.Append(instance.Id), instance, timestamp);
                }

                break;
            case Lwm2mObjectInstance i:
                foreach (Lwm2mResource resource in i.Resources)
                {
                    Add(records, path.Append(resource.Id), resource, timestamp);
                }

                break;
            case Lwm2mSingleResource r:
                records.Add(new Lwm2mRecord(path, r.Value, timestamp));
                break;
            case Lwm2mMultipleResource m:
                foreach (Lwm2mResourceInstance ri in m.Instances)
                {
                    records.Add(new Lwm2mRecord(path.Append(ri.Id), ri.Value, timestamp));
                }

                break;
            case Lwm2mResourceInstance ri:
                records.Add(new Lwm2mRecord(path, ri.Value, timestamp));
                break;
        }
    }

    /// <summary>
    /// Builds the node at <paramref name="requestPath"/> from records that all lie beneath it.
    /// The model decides whether a resource is single or multiple; a resource the model does not know
    /// is single when its record ends at resource level and multiple when it ends at instance level.
    /// A root request path is refused (records at the root do not form one node: use them directly).
    /// Timestamps are dropped. Errors: a record outside the request path or without a value, a record
    /// whose form contradicts the model (an instance id on a single resource, even at a resource-instance
    /// request path, or none on a multiple one), a resource given both as single and multiple, a record
    /// given twice, or no value at a resource request path.
    /// </summary>
    public static Formats.Lwm2mCodecResult<Lwm2mNode> Build(Lwm2mPath requestPath, IReadOnlyList<Lwm2mRecord> records, IObjectDefinitionProvider model)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(model);
        if (requestPath.Level < Lwm2mPathLevel.Object)
        {
            return Fail(Formats.Lwm2mCodecErrorKind.Unsupported, "Records at the root do not form one node; decode them as records.");
        }

        // object -> instance -> resource -> (resource-instance id or -1) -> value
        var tree = new SortedDictionary<int, SortedDictionary<int, SortedDictionary<int, SortedDictionary<int, Lwm2mValue>>>>();
        var types = new Dictionary<(int, int, int), Lwm2mResourceType>();
        foreach (Lwm2mRecord record in records)
        {
            if (!requestPath.Contains(record.Path))
            {
                return Fail(Formats.Lwm2mCodecErrorKind.InvalidPath, $"Record {record.Path} lies outside the request path {requestPath}.");
            }

            if (record.Path.Level < Lwm2mPathLevel.Resource || record.Value is not { } value)
            {
                return Fail(Formats.Lwm2mCodecErrorKind.PathMismatch, $"Record {record.Path} carries no resource value.");
            }

            int o = record.Path.ObjectId!.Value, i = record.Path.InstanceId!.Value, r = record.Path.ResourceId!.Value;
            int ri = record.Path.ResourceInstanceId ?? -1;
            ResourceDefinition? definition = model.GetObject(o)?.GetResource(r);
            bool multiple = definition?.Multiple ?? ri >= 0;
            if (multiple != (ri >= 0))
            {
                return Fail(Formats.Lwm2mCodecErrorKind.PathMismatch,
                    multiple ? $"Resource /{o}/{i}/{r} is multiple; its records need a resource instance id." : $"Resource /{o}/{i}/{r} is single; {record.Path} has a resource instance id.");
            }

            var instances = GetOrAdd(GetOrAdd(tree, o), i);
            var values = GetOrAdd(instances, r);
            if (values.Count > 0 && values.ContainsKey(-1) != (ri < 0))
            {
                return Fail(Formats.Lwm2mCodecErrorKind.Malformed, $"Resource /{o}/{i}/{r} appears both as a single value and with resource instances.");
            }

            if (!values.TryAdd(ri, value))
            {
                return Fail(Formats.Lwm2mCodecErrorKind.Malformed, $"Record {record.Path} appears twice.");
            }

            types[(o, i, r)] = definition?.Type ?? value.Type;
        }

        Lwm2mResource BuildResource(int o, int i, int r, SortedDictionary<int, Lwm2mValue> values) =>
            values.TryGetValue(-1, out Lwm2mValue single)
                ? new Lwm2mSingleResource(r, single)
                : new Lwm2mMultipleResource(r, types[(o, i, r)], values.Select(kv => new Lwm2mResourceInstance(kv.Key, kv.Value)).ToList());

        Lwm2mObjectInstance BuildInstance(int o, int i, SortedDictionary<int, SortedDictionary<int, Lwm2mValue>> resources) =>
            new(i, resources.Select(kv => BuildResource(o, i, kv.Key, kv.Value)).ToList());

        int oid = requestPath.ObjectId!.Value;
        switch (requestPath.Level)
        {
            case Lwm2mPathLevel.Object:
                return Formats.Lwm2mCodecResult<Lwm2mNode>.Success(new Lwm2mObject(oid,
                    tree.TryGetValue(oid, out var all) ? all.Select(kv => BuildInstance(oid, kv.Key, kv.Value)).ToList() : []));
            case Lwm2mPathLevel.ObjectInstance:
                int iid = requestPath.InstanceId!.Value;
                return Formats.Lwm2mCodecResult<Lwm2mNode>.Success(
                    tree.TryGetValue(oid, out var one) && one.TryGetValue(iid, out var res) ? BuildInstance(oid, iid, res) : new Lwm2mObjectInstance(iid, []));
            default:
                int ii = requestPath.InstanceId!.Value, rid = requestPath.ResourceId!.Value;
                if (!tree.TryGetValue(oid, out var objs) || !objs.TryGetValue(ii, out var rs) || !rs.TryGetValue(rid, out var vs))
                {
                    return Fail(Formats.Lwm2mCodecErrorKind.PathMismatch, $"The payload holds no value for {requestPath}.");
                }

                if (requestPath.Level == Lwm2mPathLevel.ResourceInstance)
                {
                    int riid = requestPath.ResourceInstanceId!.Value;
                    return vs.TryGetValue(riid, out Lwm2mValue v) && vs.Count == 1
                        ? Formats.Lwm2mCodecResult<Lwm2mNode>.Success(new Lwm2mResourceInstance(riid, v))
                        : Fail(Formats.Lwm2mCodecErrorKind.PathMismatch, $"The payload must hold exactly the value of {requestPath}.");
                }

                return Formats.Lwm2mCodecResult<Lwm2mNode>.Success(BuildResource(oid, ii, rid, vs));
        }
    }

    private static TValue GetOrAdd<TValue>(SortedDictionary<int, TValue> map, int key)
        where TValue : new()
    {
        if (!map.TryGetValue(key, out TValue? value))
        {
            value = new TValue();
            map[key] = value;
        }

        return value;
    }

    private static Formats.Lwm2mCodecResult<Lwm2mNode> Fail(Formats.Lwm2mCodecErrorKind kind, string message) =>
        Formats.Lwm2mCodecResult<Lwm2mNode>.Failure(kind, message);
}
