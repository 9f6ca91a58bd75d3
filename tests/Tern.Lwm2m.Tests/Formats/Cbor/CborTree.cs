using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using Tern.Lwm2m.Formats.Cbor;

namespace Tern.Lwm2m.Tests.Formats.Cbor;

/// <summary>A test-only generic CBOR tree with a diagnostic-notation form (close to RFC 8949 §8).</summary>
public abstract record CborItem
{
    public abstract void Diag(StringBuilder sb);

    public sealed override string ToString()
    {
        var sb = new StringBuilder();
        Diag(sb);
        return sb.ToString();
    }
}

public sealed record CUnsigned(ulong Value) : CborItem
{
    public override void Diag(StringBuilder sb) => sb.Append(Value.ToString(CultureInfo.InvariantCulture));
}

public sealed record CNeg(ulong Raw) : CborItem
{
    public override void Diag(StringBuilder sb) => sb.Append((-1 - (BigInteger)Raw).ToString(CultureInfo.InvariantCulture));
}

public sealed record CBytes(byte[] Value) : CborItem
{
    public override void Diag(StringBuilder sb) => sb.Append("h'").Append(Convert.ToHexString(Value).ToLowerInvariant()).Append('\'');
}

public sealed record CText(string Value) : CborItem
{
    public override void Diag(StringBuilder sb) => sb.Append('"').Append(Value).Append('"');
}

public sealed record CArray(List<CborItem> Items) : CborItem
{
    public override void Diag(StringBuilder sb)
    {
        sb.Append('[');
        for (int i = 0; i < Items.Count; i++)
        {
            sb.Append(i == 0 ? "" : ", ");
            Items[i].Diag(sb);
        }

        sb.Append(']');
    }
}

public sealed record CMap(List<(CborItem Key, CborItem Value)> Pairs) : CborItem
{
    public override void Diag(StringBuilder sb)
    {
        sb.Append('{');
        for (int i = 0; i < Pairs.Count; i++)
        {
            sb.Append(i == 0 ? "" : ", ");
            Pairs[i].Key.Diag(sb);
            sb.Append(": ");
            Pairs[i].Value.Diag(sb);
        }

        sb.Append('}');
    }
}

public sealed record CTag(ulong Tag, CborItem Content) : CborItem
{
    public override void Diag(StringBuilder sb)
    {
        sb.Append(Tag.ToString(CultureInfo.InvariantCulture)).Append('(');
        Content.Diag(sb);
        sb.Append(')');
    }
}

public sealed record CSimple(byte Value) : CborItem
{
    public override void Diag(StringBuilder sb) => sb.Append(Value switch
    {
        20 => "false",
        21 => "true",
        22 => "null",
        23 => "undefined",
        _ => $"simple({Value})",
    });
}

public sealed record CFloat(double Value) : CborItem
{
    public override void Diag(StringBuilder sb) => sb.Append(Format(Value));

    public static string Format(double v) =>
        double.IsNaN(v) ? "NaN"
        : double.IsPositiveInfinity(v) ? "Infinity"
        : double.IsNegativeInfinity(v) ? "-Infinity"
        : v == Math.Floor(v) && Math.Abs(v) < 1e16 ? (double.IsNegative(v) && v == 0 ? "-0.0" : v.ToString("0.0", CultureInfo.InvariantCulture))
        : v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Reads and writes <see cref="CborItem"/> trees with the library under test.</summary>
public static class CborTree
{
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    /// <summary>Reads one whole data item; null with the reader's error when the input is bad.</summary>
    public static CborItem? Read(ReadOnlySpan<byte> data, out CborError error, int maxDepth = CborReader.DefaultMaxDepth)
    {
        var reader = new CborReader(data, maxDepth);
        CborItem? item = ReadItem(ref reader);
        if (item is not null && reader.PeekState() != CborReaderState.Finished)
        {
            item = null;
        }

        error = reader.Error;
        return item;
    }

    public static CborItem? ReadItem(ref CborReader reader)
    {
        switch (reader.PeekState())
        {
            case CborReaderState.UnsignedInteger:
                return reader.TryReadUInt64(out ulong u) ? new CUnsigned(u) : null;
            case CborReaderState.NegativeInteger:
                return reader.TryReadCborNegativeIntegerRepresentation(out ulong n) ? new CNeg(n) : null;
            case CborReaderState.ByteString:
                return reader.TryReadByteString(out byte[] b) ? new CBytes(b) : null;
            case CborReaderState.TextString:
                return reader.TryReadTextString(out string t) ? new CText(t) : null;
            case CborReaderState.Tag:
                if (!reader.TryReadTag(out ulong tag))
                {
                    return null;
                }

                CborItem? content = ReadItem(ref reader);
                return content is null ? null : new CTag(tag, content);
            case CborReaderState.HalfFloat or CborReaderState.SingleFloat or CborReaderState.DoubleFloat:
                return reader.TryReadDouble(out double d) ? new CFloat(d) : null;
            case CborReaderState.Boolean or CborReaderState.Null or CborReaderState.Undefined or CborReaderState.SimpleValue:
                return reader.TryReadSimpleValue(out byte s) ? new CSimple(s) : null;
            case CborReaderState.StartArray:
            {
                if (!reader.TryReadStartArray(out _))
                {
                    return null;
                }

                var items = new List<CborItem>();
                while (reader.PeekState() != CborReaderState.EndArray)
                {
                    CborItem? item = ReadItem(ref reader);
                    if (item is null)
                    {
                        return null;
                    }

                    items.Add(item);
                }

                return reader.TryReadEndArray() ? new CArray(items) : null;
            }

            case CborReaderState.StartMap:
            {
                if (!reader.TryReadStartMap(out _))
                {
                    return null;
                }

                var pairs = new List<(CborItem, CborItem)>();
                while (reader.PeekState() != CborReaderState.EndMap)
                {
                    CborItem? key = ReadItem(ref reader);
                    CborItem? value = key is null ? null : ReadItem(ref reader);
                    if (value is null)
                    {
                        return null;
                    }

                    pairs.Add((key!, value));
                }

                return reader.TryReadEndMap() ? new CMap(pairs) : null;
            }

            default:
                return null;
        }
    }

    public static byte[] Write(CborItem item, CborFloatMode mode = CborFloatMode.Deterministic)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new CborWriter(buffer, mode);
        WriteItem(ref writer, item);
        Assert.Equal(buffer.WrittenCount, writer.BytesWritten);
        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteItem(ref CborWriter writer, CborItem item)
    {
        switch (item)
        {
            case CUnsigned u: writer.WriteUInt64(u.Value); break;
            case CNeg n: writer.WriteCborNegativeIntegerRepresentation(n.Raw); break;
            case CBytes b: writer.WriteByteString(b.Value); break;
            case CText t: writer.WriteTextString(t.Value); break;
            case CTag t:
                writer.WriteTag(t.Tag);
                WriteItem(ref writer, t.Content);
                break;
            case CFloat f: writer.WriteDouble(f.Value); break;
            case CSimple s: writer.WriteSimpleValue(s.Value); break;
            case CArray a:
                writer.WriteStartArray(a.Items.Count);
                foreach (CborItem i in a.Items)
                {
                    WriteItem(ref writer, i);
                }

                break;
            case CMap m:
                writer.WriteStartMap(m.Pairs.Count);
                foreach ((CborItem k, CborItem v) in m.Pairs)
                {
                    WriteItem(ref writer, k);
                    WriteItem(ref writer, v);
                }

                break;
        }
    }
}
