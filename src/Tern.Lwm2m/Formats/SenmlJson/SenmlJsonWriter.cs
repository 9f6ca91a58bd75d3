using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.SenmlJson;

/// <summary>
/// Writes SenML JSON records straight from a node tree or a record list. A node is written as the TS
/// examples show: the first record carries the request path as base name ("/3/0/"), names are relative;
/// a single value carries its full path as base name and no name. Records carry full paths as names and
/// absolute times ("t") so no base name or base time is needed.
/// </summary>
internal static class SenmlJsonWriter
{
    internal static readonly JsonEncodedText Bn = JsonEncodedText.Encode("bn");
    internal static readonly JsonEncodedText N = JsonEncodedText.Encode("n");
    internal static readonly JsonEncodedText T = JsonEncodedText.Encode("t");
    internal static readonly JsonEncodedText V = JsonEncodedText.Encode("v");
    internal static readonly JsonEncodedText Vs = JsonEncodedText.Encode("vs");
    internal static readonly JsonEncodedText Vb = JsonEncodedText.Encode("vb");
    internal static readonly JsonEncodedText Vd = JsonEncodedText.Encode("vd");
    internal static readonly JsonEncodedText Vlo = JsonEncodedText.Encode("vlo");

    public static Lwm2mCodecError? WriteNode(Utf8JsonWriter writer, Lwm2mPath path, Lwm2mNode node)
    {
        writer.WriteStartArray();
        var records = new RecordSink(writer, path);
        Lwm2mCodecError? error = NodeLeaves.Walk(path, path, node, ref records);
        writer.WriteEndArray();
        return error;
    }

    /// <summary>Writes each value of a tree as a record; the first one carries the base name.</summary>
    private struct RecordSink(Utf8JsonWriter writer, Lwm2mPath basePath) : ILeafSink
    {
        private bool _first = true;

        public Lwm2mCodecError? Leaf(Lwm2mPath path, in Lwm2mValue value) => WriteRecord(writer, basePath, path, value, ref _first);
    }

    private static Lwm2mCodecError? WriteRecord(Utf8JsonWriter writer, Lwm2mPath basePath, Lwm2mPath path, in Lwm2mValue value, ref bool first)
    {
        Span<byte> name = stackalloc byte[JsonSupport.MaxPathLength];
        writer.WriteStartObject();
        if (path == basePath)
        {
            writer.WriteString(Bn, name[..JsonSupport.FormatPath(name, path, 0, leadingSlash: true, trailingSlash: false)]);
        }
        else
        {
            if (first)
            {
                writer.WriteString(Bn, name[..JsonSupport.FormatPath(name, basePath, 0, leadingSlash: true, trailingSlash: true)]);
            }

            writer.WriteString(N, name[..JsonSupport.FormatPath(name, path, (int)basePath.Level, leadingSlash: false, trailingSlash: false)]);
        }

        first = false;
        Lwm2mCodecError? error = WriteValue(writer, value, path);
        writer.WriteEndObject();
        return error;
    }

    public static Lwm2mCodecError? WriteRecords(Utf8JsonWriter writer, IReadOnlyList<Lwm2mRecord> records)
    {
        Span<byte> name = stackalloc byte[JsonSupport.MaxPathLength];
        writer.WriteStartArray();
        for (int k = 0; k < records.Count; k++)
        {
            Lwm2mRecord record = records[k];
            writer.WriteStartObject();
            writer.WriteString(N, name[..JsonSupport.FormatPath(name, record.Path, 0, leadingSlash: true, trailingSlash: false)]);
            if (record.Timestamp is { } time)
            {
                writer.WriteNumber(T, time.ToUnixTimeMilliseconds() / 1000.0);
            }

            if (record.Value is { } value && WriteValue(writer, value, record.Path) is { } error)
            {
                return error;
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        return null;
    }

    private static Lwm2mCodecError? WriteValue(Utf8JsonWriter writer, in Lwm2mValue value, Lwm2mPath path)
    {
        switch (value.Type)
        {
            case Lwm2mResourceType.String or Lwm2mResourceType.Corelnk:
                writer.WriteString(Vs, value.AsString());
                break;
            case Lwm2mResourceType.Integer:
                writer.WriteNumber(V, value.AsInteger());
                break;
            case Lwm2mResourceType.Time:
                writer.WriteNumber(V, value.AsUnixTime());
                break;
            case Lwm2mResourceType.UnsignedInteger:
                writer.WriteNumber(V, value.AsUnsignedInteger());
                break;
            case Lwm2mResourceType.Float:
                double d = value.AsFloat();
                if (!double.IsFinite(d))
                {
                    return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"JSON cannot carry the float {d} of {path}.");
                }

                writer.WriteNumber(V, d);
                break;
            case Lwm2mResourceType.Boolean:
                writer.WriteBoolean(Vb, value.AsBoolean());
                break;
            case Lwm2mResourceType.Objlnk:
                Span<byte> link = stackalloc byte[16];
                Lwm2mObjectLink l = value.AsObjectLink();
                l.ObjectId.TryFormat(link, out int o, default, CultureInfo.InvariantCulture);
                link[o] = (byte)':';
                l.InstanceId.TryFormat(link[(o + 1)..], out int i, default, CultureInfo.InvariantCulture);
                writer.WriteString(Vlo, link[..(o + 1 + i)]);
                break;
            case Lwm2mResourceType.Opaque:
                WriteBase64Url(writer, value.AsOpaque());
                break;
        }

        return null;
    }

    private static void WriteBase64Url(Utf8JsonWriter writer, byte[] bytes)
    {
        int length = Base64Url.GetEncodedLength(bytes.Length);
        byte[]? rented = length > 256 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> text = rented ?? stackalloc byte[256];
        int written = Base64Url.EncodeToUtf8(bytes, text);
        writer.WriteString(Vd, text[..written]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
