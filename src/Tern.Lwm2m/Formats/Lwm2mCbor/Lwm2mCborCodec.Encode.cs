using System.Buffers;
using Tern.Lwm2m.Formats.Cbor;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.Lwm2mCbor;

public sealed partial class Lwm2mCborCodec
{
    /// <inheritdoc />
    public Lwm2mCodecError? EncodeNode(Lwm2mPath path, Lwm2mNode node, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(output);
        if (path.IsRoot)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, "A node needs an object path or deeper; encode the root as records.");
        }

        if (Check(node) is { } invalid)
        {
            return invalid;
        }

        var writer = new CborWriter(output);
        writer.WriteStartMap(1);
        int level = (int)path.Level;
        if (level == 1)
        {
            writer.WriteUInt64((ulong)path.ObjectId!.Value);
        }
        else
        {
            writer.WriteStartArray(level);
            for (int i = 0; i < level; i++)
            {
                writer.WriteUInt64((ulong)PathSegments.Get(path, i));
            }
        }

        WriteContent(ref writer, node);
        return null;
    }

    private static Lwm2mCodecError? Check(Lwm2mNode node)
    {
        switch (node)
        {
            case Lwm2mObject o:
                for (int i = 0; i < o.Instances.Count; i++)
                {
                    if (Check(o.Instances[i]) is { } e)
                    {
                        return e;
                    }
                }

                return null;
            case Lwm2mObjectInstance oi:
                for (int i = 0; i < oi.Resources.Count; i++)
                {
                    if (Check(oi.Resources[i]) is { } e)
                    {
                        return e;
                    }
                }

                return null;
            case Lwm2mSingleResource r:
                return r.Value.Type == Lwm2mResourceType.None ? NoType(r.Id) : null;
            case Lwm2mMultipleResource m:
                for (int i = 0; i < m.Instances.Count; i++)
                {
                    if (m.Instances[i].Value.Type == Lwm2mResourceType.None)
                    {
                        return NoType(m.Instances[i].Id);
                    }
                }

                return null;
            case Lwm2mResourceInstance ri:
                return ri.Value.Type == Lwm2mResourceType.None ? NoType(ri.Id) : null;
            default:
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"Unknown node type {node.GetType().Name}.");
        }
    }

    private static Lwm2mCodecError NoType(int id) => new(Lwm2mCodecErrorKind.Unsupported, $"The value with id {id} has no type.");

    private static void WriteContent(ref CborWriter writer, Lwm2mNode node)
    {
        switch (node)
        {
            case Lwm2mObject o:
                writer.WriteStartMap(o.Instances.Count);
                for (int i = 0; i < o.Instances.Count; i++)
                {
                    writer.WriteUInt64((ulong)o.Instances[i].Id);
                    WriteContent(ref writer, o.Instances[i]);
                }

                break;
            case Lwm2mObjectInstance oi:
                writer.WriteStartMap(oi.Resources.Count);
                for (int i = 0; i < oi.Resources.Count; i++)
                {
                    writer.WriteUInt64((ulong)oi.Resources[i].Id);
                    WriteContent(ref writer, oi.Resources[i]);
                }

                break;
            case Lwm2mSingleResource r:
                CborLwm2mValues.TryWrite(ref writer, r.Value);
                break;
            case Lwm2mMultipleResource m:
                writer.WriteStartMap(m.Instances.Count);
                for (int i = 0; i < m.Instances.Count; i++)
                {
                    writer.WriteUInt64((ulong)m.Instances[i].Id);
                    CborLwm2mValues.TryWrite(ref writer, m.Instances[i].Value);
                }

                break;
            case Lwm2mResourceInstance ri:
                CborLwm2mValues.TryWrite(ref writer, ri.Value);
                break;
        }
    }

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeRecords(IReadOnlyList<Lwm2mRecord> records, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        bool sorted = true;
        for (int i = 0; i < records.Count; i++)
        {
            Lwm2mRecord record = records[i];
            if (record.Path.IsRoot)
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, "LwM2M CBOR cannot name the root path in a record.");
            }

            if (record.Timestamp is not null)
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"LwM2M CBOR carries no timestamps ({record.Path} has one); use SenML.");
            }

            if (record.Value is { } v && (v.Type == Lwm2mResourceType.None || record.Path.Level < Lwm2mPathLevel.Resource))
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"Record {record.Path} holds a value that LwM2M CBOR cannot place there.");
            }

            sorted &= i == 0 || records[i - 1].Path < record.Path;
        }

        if (!sorted)
        {
            records = records.OrderBy(r => r.Path).ToArray();
        }

        for (int i = 1; i < records.Count; i++)
        {
            if (records[i - 1].Path.Contains(records[i].Path))
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, records[i - 1].Path == records[i].Path
                    ? $"Path {records[i].Path} appears twice."
                    : $"Record {records[i - 1].Path} holds {records[i].Path}; a path cannot have both a value and children.");
            }
        }

        var writer = new CborWriter(output);
        WriteLevel(ref writer, records, 0, records.Count, 0);
        return null;
    }

    /// <summary>Writes the map for records [start, end), which share their first <paramref name="level"/> ids.</summary>
    private static void WriteLevel(ref CborWriter writer, IReadOnlyList<Lwm2mRecord> records, int start, int end, int level)
    {
        int groups = 0;
        for (int i = start; i < end; i = GroupEnd(records, i, end, level))
        {
            groups++;
        }

        writer.WriteStartMap(groups);
        for (int i = start; i < end;)
        {
            int groupEnd = GroupEnd(records, i, end, level);

            // Fold the ids every record of the group shares into one key; stop before the last id of a
            // record, which keys its value.
            int last = level;
            while (SharesNext(records, i, groupEnd, last))
            {
                last++;
            }

            Lwm2mPath first = records[i].Path;
            if (last == level)
            {
                writer.WriteUInt64((ulong)PathSegments.Get(first, level));
            }
            else
            {
                writer.WriteStartArray(last - level + 1);
                for (int k = level; k <= last; k++)
                {
                    writer.WriteUInt64((ulong)PathSegments.Get(first, k));
                }
            }

            if (groupEnd - i == 1 && (int)first.Level == last + 1)
            {
                if (records[i].Value is { } value)
                {
                    CborLwm2mValues.TryWrite(ref writer, value);
                }
                else
                {
                    writer.WriteNull();
                }
            }
            else
            {
                WriteLevel(ref writer, records, i, groupEnd, last + 1);
            }

            i = groupEnd;
        }
    }

    private static int GroupEnd(IReadOnlyList<Lwm2mRecord> records, int i, int end, int level)
    {
        int id = PathSegments.Get(records[i].Path, level);
        int j = i + 1;
        while (j < end && PathSegments.Get(records[j].Path, level) == id)
        {
            j++;
        }

        return j;
    }

    /// <summary>True when every record of the group goes deeper than <paramref name="index"/> + 1 and shares id index + 1.</summary>
    private static bool SharesNext(IReadOnlyList<Lwm2mRecord> records, int start, int end, int index)
    {
        int next = index + 1;
        if ((int)records[start].Path.Level <= next)
        {
            return false;
        }

        int id = PathSegments.Get(records[start].Path, next);
        for (int i = start + 1; i < end; i++)
        {
            if ((int)records[i].Path.Level <= next || PathSegments.Get(records[i].Path, next) != id)
            {
                return false;
            }
        }

        return true;
    }
}
