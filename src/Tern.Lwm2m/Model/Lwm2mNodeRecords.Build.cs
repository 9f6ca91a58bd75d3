using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;

namespace Tern.Lwm2m.Model;

/// <summary>Building a node from records: sort them by path (in a pooled buffer), then walk them once.</summary>
public static partial class Lwm2mNodeRecords
{
    /// <summary>
    /// Builds the node at <paramref name="requestPath"/> from records that all lie beneath it.
    /// The model decides whether a resource is single or multiple; a resource the model does not know
    /// is single when its record ends at resource level and multiple when it ends at instance level.
    /// A root request path is refused (records at the root do not form one node: use them directly).
    /// Timestamps are dropped. Errors: a record outside the request path or without a value, a record
    /// whose form contradicts the model (an instance id on a single resource, even at a resource-instance
    /// request path, or none on a multiple one), a resource given both as single and multiple, a record
    /// given twice, or no value at a resource request path. Children come out in ascending id order.
    /// </summary>
    public static Lwm2mCodecResult<Lwm2mNode> Build(Lwm2mPath requestPath, IReadOnlyList<Lwm2mRecord> records, IObjectDefinitionProvider model)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(model);
        using RecordBuffer buffer = RecordBuffer.Rent();
        foreach (Lwm2mRecord record in records)
        {
            buffer.Add(record.Path, record.Value, record.Timestamp);
        }

        return Build(requestPath, buffer.Records, model);
    }

    /// <summary>
    /// <see cref="Build(Lwm2mPath, IReadOnlyList{Lwm2mRecord}, IObjectDefinitionProvider)"/> over records held by
    /// value, as the decoders produce them; sorts <paramref name="records"/> in place when they are out of order.
    /// </summary>
    internal static Lwm2mCodecResult<Lwm2mNode> Build(Lwm2mPath requestPath, Span<DecodedRecord> records, IObjectDefinitionProvider model)
    {
        if (requestPath.Level < Lwm2mPathLevel.Object)
        {
            return Fail(Lwm2mCodecErrorKind.Unsupported, "Records at the root do not form one node; decode them as records.");
        }

        bool sorted = true;
        for (int k = 0; k < records.Length; k++)
        {
            if (Check(requestPath, records[k], model) is { } error)
            {
                return Lwm2mCodecResult<Lwm2mNode>.Failure(error);
            }

            sorted &= k == 0 || records[k - 1].Path.CompareTo(records[k].Path) <= 0;
        }

        // The decoders hand records over in payload order; sorting them by path lets one pass group them
        // into instances and resources without any dictionary.
        if (!sorted)
        {
            records.Sort(ByPath);
        }

        return BuildSorted(requestPath, records, model);
    }

    private static Lwm2mCodecError? Check(Lwm2mPath requestPath, in DecodedRecord record, IObjectDefinitionProvider model)
    {
        if (!requestPath.Contains(record.Path))
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, $"Record {record.Path} lies outside the request path {requestPath}.");
        }

        if (record.Path.Level < Lwm2mPathLevel.Resource || record.Value is null)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.PathMismatch, $"Record {record.Path} carries no resource value.");
        }

        int o = record.Path.ObjectId!.Value, i = record.Path.InstanceId!.Value, r = record.Path.ResourceId!.Value;
        bool hasInstance = record.Path.Level == Lwm2mPathLevel.ResourceInstance;
        if (model.GetObject(o)?.GetResource(r) is { } definition && definition.Multiple != hasInstance)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.PathMismatch,
                definition.Multiple ? $"Resource /{o}/{i}/{r} is multiple; its records need a resource instance id." : $"Resource /{o}/{i}/{r} is single; {record.Path} has a resource instance id.");
        }

        return null;
    }

    /// <summary>Builds from records already checked and in ascending path order.</summary>
    private static Lwm2mCodecResult<Lwm2mNode> BuildSorted(Lwm2mPath requestPath, ReadOnlySpan<DecodedRecord> sorted, IObjectDefinitionProvider model)
    {
        for (int k = 1; k < sorted.Length; k++)
        {
            Lwm2mPath previous = sorted[k - 1].Path, current = sorted[k].Path;
            if (previous == current)
            {
                return Fail(Lwm2mCodecErrorKind.Malformed, $"Record {current} appears twice.");
            }

            if (previous.Level == Lwm2mPathLevel.Resource && previous.Contains(current))
            {
                return Fail(Lwm2mCodecErrorKind.Malformed, $"Resource {previous} appears both as a single value and with resource instances.");
            }
        }

        int oid = requestPath.ObjectId!.Value;
        switch (requestPath.Level)
        {
            case Lwm2mPathLevel.Object:
                var instances = new Lwm2mObjectInstance[CountGroups(sorted, 0, sorted.Length, Lwm2mPathLevel.ObjectInstance)];
                for (int start = 0, n = 0; start < sorted.Length; n++)
                {
                    int end = GroupEnd(sorted, start, sorted.Length, Lwm2mPathLevel.ObjectInstance);
                    instances[n] = BuildInstance(sorted, start, end, sorted[start].Path.InstanceId!.Value, model);
                    start = end;
                }

                return Lwm2mCodecResult<Lwm2mNode>.Success(new Lwm2mObject(oid, instances));
            case Lwm2mPathLevel.ObjectInstance:
                return Lwm2mCodecResult<Lwm2mNode>.Success(BuildInstance(sorted, 0, sorted.Length, requestPath.InstanceId!.Value, model));
            case Lwm2mPathLevel.Resource:
                return sorted.Length == 0
                    ? Fail(Lwm2mCodecErrorKind.PathMismatch, $"The payload holds no value for {requestPath}.")
                    : Lwm2mCodecResult<Lwm2mNode>.Success(BuildResource(sorted, 0, sorted.Length, model));
            default:
                return sorted.Length == 1
                    ? Lwm2mCodecResult<Lwm2mNode>.Success(new Lwm2mResourceInstance(requestPath.ResourceInstanceId!.Value, sorted[0].Value!.Value))
                    : Fail(Lwm2mCodecErrorKind.PathMismatch, $"The payload must hold exactly the value of {requestPath}.");
        }
    }

    private static Lwm2mObjectInstance BuildInstance(ReadOnlySpan<DecodedRecord> sorted, int start, int end, int id, IObjectDefinitionProvider model)
    {
        var resources = new Lwm2mResource[CountGroups(sorted, start, end, Lwm2mPathLevel.Resource)];
        for (int n = 0; start < end; n++)
        {
            int groupEnd = GroupEnd(sorted, start, end, Lwm2mPathLevel.Resource);
            resources[n] = BuildResource(sorted, start, groupEnd, model);
            start = groupEnd;
        }

        return new Lwm2mObjectInstance(id, resources);
    }

    /// <summary>One resource from its records: a single value, or the instances of a multiple resource.</summary>
    private static Lwm2mResource BuildResource(ReadOnlySpan<DecodedRecord> sorted, int start, int end, IObjectDefinitionProvider model)
    {
        DecodedRecord first = sorted[start];
        int rid = first.Path.ResourceId!.Value;
        if (first.Path.Level == Lwm2mPathLevel.Resource)
        {
            return new Lwm2mSingleResource(rid, first.Value!.Value);
        }

        var instances = new Lwm2mResourceInstance[end - start];
        for (int k = start; k < end; k++)
        {
            instances[k - start] = new Lwm2mResourceInstance(sorted[k].Path.ResourceInstanceId!.Value, sorted[k].Value!.Value);
        }

        Lwm2mResourceType type = model.GetObject(first.Path.ObjectId!.Value)?.GetResource(rid)?.Type ?? first.Value!.Value.Type;
        return new Lwm2mMultipleResource(rid, type, instances);
    }

    /// <summary>How many distinct ids the records in [start, end) hold at <paramref name="level"/>.</summary>
    private static int CountGroups(ReadOnlySpan<DecodedRecord> sorted, int start, int end, Lwm2mPathLevel level)
    {
        int groups = 0;
        while (start < end)
        {
            start = GroupEnd(sorted, start, end, level);
            groups++;
        }

        return groups;
    }

    /// <summary>The index after the last record that shares the id at <paramref name="level"/> with record <paramref name="start"/>.</summary>
    private static int GroupEnd(ReadOnlySpan<DecodedRecord> sorted, int start, int end, Lwm2mPathLevel level)
    {
        int id = Id(sorted[start].Path, level);
        int k = start + 1;
        while (k < end && Id(sorted[k].Path, level) == id)
        {
            k++;
        }

        return k;
    }

    private static int Id(Lwm2mPath path, Lwm2mPathLevel level) =>
        level == Lwm2mPathLevel.ObjectInstance ? path.InstanceId!.Value : path.ResourceId!.Value;

    // A cached delegate: sorting through an IComparer would box it and wrap its Compare in a new delegate (88 B, measured).
    private static readonly Comparison<DecodedRecord> ByPath = static (x, y) => x.Path.CompareTo(y.Path);
}
