namespace Tern.Lwm2m.Model;

/// <summary>
/// Converts between the node tree and flat records (absolute path + value), the form SenML-shaped
/// formats carry. Flattening never fails; building checks that every record lies under the request
/// path and fits its level.
/// </summary>
public static partial class Lwm2mNodeRecords
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

    private static Formats.Lwm2mCodecResult<Lwm2mNode> Fail(Formats.Lwm2mCodecErrorKind kind, string message) =>
        Formats.Lwm2mCodecResult<Lwm2mNode>.Failure(kind, message);
}
