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
    private static readonly JsonEncodedText Vs = JsonEncodedText.Encode("vs");
    private static readonly JsonEncodedText Vb = JsonEncodedText.Encode("vb");
    private static readonly JsonEncodedText Vd = JsonEncodedText.Encode("vd");
    private static readonly JsonEncodedText Vlo = JsonEncodedText.Encode("vlo");

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
            writer.WriteString(JsonSupport.BaseNameKey, name[..JsonSupport.FormatPath(name, path, 0, leadingSlash: true, trailingSlash: false)]);
        }
        else
        {
            if (first)
            {
                writer.WriteString(JsonSupport.BaseNameKey, name[..JsonSupport.FormatPath(name, basePath, 0, leadingSlash: true, trailingSlash: true)]);
            }

            writer.WriteString(JsonSupport.NameKey, name[..JsonSupport.FormatPath(name, path, (int)basePath.Level, leadingSlash: false, trailingSlash: false)]);
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
            writer.WriteString(JsonSupport.NameKey, name[..JsonSupport.FormatPath(name, record.Path, 0, leadingSlash: true, trailingSlash: false)]);
            if (record.Timestamp is { } time)
            {
                JsonSupport.WriteTime(writer, time);
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
        if (JsonSupport.TryWriteNumber(writer, value))
        {
            return null;
        }

        switch (value.Type)
        {
            case Lwm2mResourceType.String or Lwm2mResourceType.Corelnk:
                writer.WriteString(Vs, value.AsString());
                break;
            case Lwm2mResourceType.Float:
                // TryWriteNumber takes every finite float, so this one is an infinity or NaN.
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"JSON cannot carry the float {value.AsFloat()} of {path}.");
            case Lwm2mResourceType.Boolean:
                writer.WriteBoolean(Vb, value.AsBoolean());
                break;
            case Lwm2mResourceType.Objlnk:
                JsonSupport.WriteObjectLink(writer, Vlo, value.AsObjectLink());
                break;
            case Lwm2mResourceType.Opaque:
                JsonSupport.WriteBase64(writer, Vd, value.AsOpaque(), url: true);
                break;
        }

        return null;
    }
}
