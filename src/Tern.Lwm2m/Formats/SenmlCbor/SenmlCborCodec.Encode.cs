using System.Buffers;
using Tern.Lwm2m.Formats.Cbor;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.SenmlCbor;

public sealed partial class SenmlCborCodec
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

        int count = CountLeaves(node, out bool typeless);
        if (typeless)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"A value under {path} has no type.");
        }

        var writer = new CborWriter(output);
        writer.WriteStartArray(count);
        bool leaf = node is Lwm2mSingleResource or Lwm2mResourceInstance;
        Span<char> baseName = stackalloc char[PathSegments.MaxChars];
        int baseLength = PathSegments.Format(path, 0, (int)path.Level, leadingSlash: true, trailingSlash: !leaf, baseName);
        var state = new NodeState { PendingBase = true };
        Span<int> relative = stackalloc int[4];
        WriteNode(ref writer, node, baseName[..baseLength], relative, 0, ref state, isRoot: true);
        return null;
    }

    private static int CountLeaves(Lwm2mNode node, out bool typeless)
    {
        typeless = false;
        int count = 0;
        switch (node)
        {
            case Lwm2mObject o:
                for (int i = 0; i < o.Instances.Count; i++)
                {
                    count += CountLeaves(o.Instances[i], out bool t);
                    typeless |= t;
                }

                return count;
            case Lwm2mObjectInstance oi:
                for (int i = 0; i < oi.Resources.Count; i++)
                {
                    count += CountLeaves(oi.Resources[i], out bool t);
                    typeless |= t;
                }

                return count;
            case Lwm2mMultipleResource m:
                for (int i = 0; i < m.Instances.Count; i++)
                {
                    typeless |= m.Instances[i].Value.Type == Lwm2mResourceType.None;
                }

                return m.Instances.Count;
            case Lwm2mSingleResource r:
                typeless = r.Value.Type == Lwm2mResourceType.None;
                return 1;
            case Lwm2mResourceInstance ri:
                typeless = ri.Value.Type == Lwm2mResourceType.None;
                return 1;
            default:
                typeless = true;
                return 0;
        }
    }

    private static void WriteNode(ref CborWriter writer, Lwm2mNode node, scoped ReadOnlySpan<char> baseName, scoped Span<int> relative, int depth, ref NodeState state, bool isRoot)
    {
        if (!isRoot)
        {
            relative[depth++] = node.Id;
        }

        switch (node)
        {
            case Lwm2mObject o:
                for (int i = 0; i < o.Instances.Count; i++)
                {
                    WriteNode(ref writer, o.Instances[i], baseName, relative, depth, ref state, isRoot: false);
                }

                break;
            case Lwm2mObjectInstance oi:
                for (int i = 0; i < oi.Resources.Count; i++)
                {
                    WriteNode(ref writer, oi.Resources[i], baseName, relative, depth, ref state, isRoot: false);
                }

                break;
            case Lwm2mMultipleResource m:
                for (int i = 0; i < m.Instances.Count; i++)
                {
                    WriteNode(ref writer, m.Instances[i], baseName, relative, depth, ref state, isRoot: false);
                }

                break;
            case Lwm2mSingleResource r:
                WriteLeaf(ref writer, baseName, relative[..depth], r.Value, ref state);
                break;
            case Lwm2mResourceInstance ri:
                WriteLeaf(ref writer, baseName, relative[..depth], ri.Value, ref state);
                break;
        }
    }

    private static void WriteLeaf(ref CborWriter writer, scoped ReadOnlySpan<char> baseName, scoped ReadOnlySpan<int> relative, Lwm2mValue value, ref NodeState state)
    {
        bool writeBase = state.PendingBase;
        state.PendingBase = false;
        writer.WriteStartMap((writeBase ? 1 : 0) + (relative.IsEmpty ? 0 : 1) + 1);
        if (writeBase)
        {
            writer.WriteInt64(LabelBaseName);
            writer.WriteTextString(baseName);
        }

        if (!relative.IsEmpty)
        {
            Span<char> name = stackalloc char[PathSegments.MaxChars];
            int n = 0;
            for (int i = 0; i < relative.Length; i++)
            {
                if (i > 0)
                {
                    name[n++] = '/';
                }

                relative[i].TryFormat(name[n..], out int written, provider: System.Globalization.CultureInfo.InvariantCulture);
                n += written;
            }

            writer.WriteInt64(LabelName);
            writer.WriteTextString(name[..n]);
        }

        WriteValue(ref writer, value);
    }

    /// <inheritdoc />
    public Lwm2mCodecError? EncodeRecords(IReadOnlyList<Lwm2mRecord> records, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        var writer = new CborWriter(output);
        if (records.Count == 0)
        {
            writer.WriteStartArray(0);
            return null;
        }

        Lwm2mPath first = records[0].Path;
        int common = (int)first.Level;
        bool allSame = true, timed = false;
        for (int i = 0; i < records.Count; i++)
        {
            Lwm2mRecord record = records[i];
            if (record.Value is { Type: Lwm2mResourceType.None })
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"The value of {record.Path} has no type.");
            }

            if (record.Value is not null && record.Path.Level < Lwm2mPathLevel.Resource)
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, $"Record {record.Path} holds a value but is not a resource path.");
            }

            if (timed && record.Timestamp is null)
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"Record {record.Path} has no timestamp but follows one that has; SenML would give it the base time.");
            }

            timed |= record.Timestamp is not null;
            common = Math.Min(common, PathSegments.CommonLength(first, record.Path));
            allSame &= record.Path == first;
        }

        Span<char> baseName = stackalloc char[PathSegments.MaxChars];
        int baseLength = allSame && common > 0
            ? PathSegments.Format(first, 0, common, leadingSlash: true, trailingSlash: false, baseName)
            : common > 0 ? PathSegments.Format(first, 0, common, leadingSlash: true, trailingSlash: true, baseName) : 0;
        Span<char> name = stackalloc char[PathSegments.MaxChars];
        long? baseTime = null;
        writer.WriteStartArray(records.Count);
        for (int i = 0; i < records.Count; i++)
        {
            Lwm2mRecord record = records[i];
            bool writeBase = i == 0 && baseLength > 0;
            int nameLength = allSame && common > 0 ? 0 : PathSegments.Format(record.Path, common, (int)record.Path.Level, leadingSlash: common == 0, trailingSlash: false, name);
            long? ms = record.Timestamp?.ToUnixTimeMilliseconds();
            bool writeBaseTime = ms is not null && baseTime is null;
            bool writeTime = ms is not null && baseTime is not null && ms != baseTime;
            int pairs = (writeBase ? 1 : 0) + (writeBaseTime ? 1 : 0) + (nameLength > 0 ? 1 : 0) + (writeTime ? 1 : 0) + (record.Value is null ? 0 : 1);
            writer.WriteStartMap(pairs);
            if (writeBase)
            {
                writer.WriteInt64(LabelBaseName);
                writer.WriteTextString(baseName[..baseLength]);
            }

            if (writeBaseTime)
            {
                baseTime = ms;
                writer.WriteInt64(LabelBaseTime);
                WriteSeconds(ref writer, ms!.Value);
            }

            if (nameLength > 0)
            {
                writer.WriteInt64(LabelName);
                writer.WriteTextString(name[..nameLength]);
            }

            if (writeTime)
            {
                writer.WriteInt64(LabelTime);
                WriteSeconds(ref writer, ms!.Value - baseTime!.Value);
            }

            if (record.Value is { } value)
            {
                WriteValue(ref writer, value);
            }
        }

        return null;
    }

    private static void WriteSeconds(ref CborWriter writer, long milliseconds)
    {
        if (milliseconds % 1000 == 0)
        {
            writer.WriteInt64(milliseconds / 1000);
        }
        else
        {
            writer.WriteDouble(milliseconds / 1000.0);
        }
    }

    private static void WriteValue(ref CborWriter writer, Lwm2mValue value)
    {
        switch (value.Type)
        {
            case Lwm2mResourceType.Integer:
                writer.WriteInt64(LabelValue);
                writer.WriteInt64(value.AsInteger());
                break;
            case Lwm2mResourceType.UnsignedInteger:
                writer.WriteInt64(LabelValue);
                writer.WriteUInt64(value.AsUnsignedInteger());
                break;
            case Lwm2mResourceType.Float:
                writer.WriteInt64(LabelValue);
                writer.WriteDouble(value.AsFloat());
                break;
            case Lwm2mResourceType.Time:
                writer.WriteInt64(LabelValue);
                writer.WriteInt64(value.AsUnixTime());
                break;
            case Lwm2mResourceType.Boolean:
                writer.WriteInt64(LabelBooleanValue);
                writer.WriteBoolean(value.AsBoolean());
                break;
            case Lwm2mResourceType.String or Lwm2mResourceType.Corelnk:
                writer.WriteInt64(LabelStringValue);
                writer.WriteTextString(value.AsString());
                break;
            case Lwm2mResourceType.Opaque:
                writer.WriteInt64(LabelDataValue);
                writer.WriteByteString(value.AsOpaque());
                break;
            case Lwm2mResourceType.Objlnk:
                writer.WriteTextStringUtf8(ObjectLinkLabel);
                CborLwm2mValues.WriteObjectLink(ref writer, value.AsObjectLink());
                break;
        }
    }

    private struct NodeState
    {
        public bool PendingBase;
    }
}
