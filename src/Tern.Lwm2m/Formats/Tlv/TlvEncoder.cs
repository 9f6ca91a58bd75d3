using System.Buffers;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.Tlv;

/// <summary>
/// Writes nodes as TLV. Sizes are measured first (no allocation), then headers and values are written
/// straight into the caller's buffer. An object is a sequence of Object Instance TLVs; an instance is its
/// resource TLVs without a wrapping instance TLV (the form the TS example for Read /3/0 shows).
/// </summary>
internal static class TlvEncoder
{
    /// <summary>The largest value a 24-bit TLV length field can carry.</summary>
    public const int MaxLength = 0xFF_FFFF;

    public static Lwm2mCodecError? Encode(Lwm2mPath path, Lwm2mNode node, IBufferWriter<byte> output)
    {
        switch (node)
        {
            case Lwm2mObject o:
                for (int k = 0; k < o.Instances.Count; k++)
                {
                    if (WriteInstance(output, o.Instances[k], wrap: true) is { } e)
                    {
                        return e;
                    }
                }

                return null;
            case Lwm2mObjectInstance i:
                return WriteInstance(output, i, wrap: false);
            case Lwm2mResource r:
                return WriteResource(output, r);
            default:
                var ri = (Lwm2mResourceInstance)node;
                return WriteValue(output, TlvKind.ResourceInstance, ri.Id, ri.Value);
        }
    }

    private static long ContentSize(Lwm2mObject o)
    {
        long size = 0;
        for (int k = 0; k < o.Instances.Count; k++)
        {
            long content = ContentSize(o.Instances[k]);
            size += TlvHeader.Size(o.Instances[k].Id, (int)Math.Min(content, int.MaxValue)) + content;
        }

        return size;
    }

    private static long ContentSize(Lwm2mObjectInstance i)
    {
        long size = 0;
        for (int k = 0; k < i.Resources.Count; k++)
        {
            size += ElementSize(i.Resources[k]);
        }

        return size;
    }

    private static long ElementSize(Lwm2mResource r)
    {
        if (r is Lwm2mSingleResource s)
        {
            return ElementSize(s.Id, TlvValues.Size(s.Value));
        }

        long content = MultipleContentSize((Lwm2mMultipleResource)r);
        return TlvHeader.Size(r.Id, (int)Math.Min(content, int.MaxValue)) + content;
    }

    private static long MultipleContentSize(Lwm2mMultipleResource m)
    {
        long size = 0;
        for (int k = 0; k < m.Instances.Count; k++)
        {
            size += ElementSize(m.Instances[k].Id, TlvValues.Size(m.Instances[k].Value));
        }

        return size;
    }

    private static long ElementSize(int id, int valueSize) => TlvHeader.Size(id, valueSize) + (long)valueSize;

    private static Lwm2mCodecError? WriteInstance(IBufferWriter<byte> output, Lwm2mObjectInstance instance, bool wrap)
    {
        if (wrap && WriteHeader(output, TlvKind.ObjectInstance, instance.Id, ContentSize(instance)) is { } e)
        {
            return e;
        }

        for (int k = 0; k < instance.Resources.Count; k++)
        {
            if (WriteResource(output, instance.Resources[k]) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static Lwm2mCodecError? WriteResource(IBufferWriter<byte> output, Lwm2mResource resource)
    {
        if (resource is Lwm2mSingleResource s)
        {
            return WriteValue(output, TlvKind.ResourceWithValue, s.Id, s.Value);
        }

        var m = (Lwm2mMultipleResource)resource;
        if (WriteHeader(output, TlvKind.MultipleResource, m.Id, MultipleContentSize(m)) is { } e)
        {
            return e;
        }

        for (int k = 0; k < m.Instances.Count; k++)
        {
            if (WriteValue(output, TlvKind.ResourceInstance, m.Instances[k].Id, m.Instances[k].Value) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    private static Lwm2mCodecError? WriteValue(IBufferWriter<byte> output, TlvKind kind, int id, in Lwm2mValue value)
    {
        int size = TlvValues.Size(value);
        if (WriteHeader(output, kind, id, size) is { } e)
        {
            return e;
        }

        if (size > 0)
        {
            TlvValues.Write(output.GetSpan(size)[..size], value);
            output.Advance(size);
        }

        return null;
    }

    private static Lwm2mCodecError? WriteHeader(IBufferWriter<byte> output, TlvKind kind, int id, long length)
    {
        if (length > MaxLength)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.TooLarge, $"A TLV of {length} bytes exceeds the 24-bit length field ({MaxLength}).");
        }

        if ((uint)id > Lwm2mPath.MaxId)
        {
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.InvalidPath, $"Id {id} is outside 0–65534.");
        }

        Span<byte> span = output.GetSpan(5);
        output.Advance(TlvHeader.Write(span, kind, id, (int)length));
        return null;
    }
}
