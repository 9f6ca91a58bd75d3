using System.Text.Json;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.OmaJson;

/// <summary>
/// Writes the LwM2M 1.0 JSON format: <c>{"bn":"/3/0/","e":[{"n":"0","sv":"…"},{"n":"6/0","v":1}]}</c>.
/// Values go in v (numbers and times), sv (strings, CoRE links, and opaque as base64), bv, ov ("o:i").
/// A node's base name is its path ("/3/0/"; a single value's full path with entries that have no name);
/// records carry full paths as names and absolute times in "t".
/// </summary>
internal static class OmaJsonWriter
{
    private static readonly JsonEncodedText E = JsonEncodedText.Encode("e");
    private static readonly JsonEncodedText Sv = JsonEncodedText.Encode("sv");
    private static readonly JsonEncodedText Bv = JsonEncodedText.Encode("bv");
    private static readonly JsonEncodedText Ov = JsonEncodedText.Encode("ov");

    public static Lwm2mCodecError? WriteNode(Utf8JsonWriter writer, Lwm2mPath path, Lwm2mNode node)
    {
        Span<byte> name = stackalloc byte[JsonSupport.MaxPathLength];
        bool single = node is Lwm2mSingleResource or Lwm2mResourceInstance;
        writer.WriteStartObject();
        writer.WriteString(JsonSupport.BaseNameKey, name[..JsonSupport.FormatPath(name, path, 0, leadingSlash: true, trailingSlash: !single)]);
        writer.WriteStartArray(E);
        var entries = new EntrySink(writer, path);
        Lwm2mCodecError? error = NodeLeaves.Walk(path, path, node, ref entries);
        writer.WriteEndArray();
        writer.WriteEndObject();
        return error;
    }

    /// <summary>Writes each value of a tree as an entry named relative to the request path.</summary>
    private readonly struct EntrySink(Utf8JsonWriter writer, Lwm2mPath basePath) : ILeafSink
    {
        public Lwm2mCodecError? Leaf(Lwm2mPath path, in Lwm2mValue value) => WriteEntry(writer, basePath, path, value, null);
    }

    public static Lwm2mCodecError? WriteRecords(Utf8JsonWriter writer, IReadOnlyList<Lwm2mRecord> records)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(E);
        for (int k = 0; k < records.Count; k++)
        {
            Lwm2mRecord record = records[k];
            if (record.Value is not { } value)
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"OMA JSON entries carry values; {record.Path} has none.");
            }

            if (WriteEntry(writer, Lwm2mPath.Root, record.Path, value, record.Timestamp) is { } error)
            {
                return error;
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return null;
    }

    private static Lwm2mCodecError? WriteEntry(Utf8JsonWriter writer, Lwm2mPath basePath, Lwm2mPath path, in Lwm2mValue value, DateTimeOffset? time)
    {
        Span<byte> name = stackalloc byte[JsonSupport.MaxPathLength];
        writer.WriteStartObject();
        if (path != basePath)
        {
            writer.WriteString(JsonSupport.NameKey, name[..JsonSupport.FormatPath(name, path, (int)basePath.Level, leadingSlash: basePath.IsRoot, trailingSlash: false)]);
        }

        Lwm2mCodecError? error = null;
        if (!JsonSupport.TryWriteNumber(writer, value))
        {
            switch (value.Type)
            {
                case Lwm2mResourceType.String or Lwm2mResourceType.Corelnk:
                    writer.WriteString(Sv, value.AsString());
                    break;
                case Lwm2mResourceType.Opaque:
                    JsonSupport.WriteBase64(writer, Sv, value.AsOpaque(), url: false);
                    break;
                case Lwm2mResourceType.Boolean:
                    writer.WriteBoolean(Bv, value.AsBoolean());
                    break;
                case Lwm2mResourceType.Objlnk:
                    JsonSupport.WriteObjectLink(writer, Ov, value.AsObjectLink());
                    break;
                default:
                    error = new Lwm2mCodecError(Lwm2mCodecErrorKind.Unsupported, $"OMA JSON cannot carry the {value.Type} value {value} of {path}.");
                    break;
            }
        }

        if (time is { } t)
        {
            JsonSupport.WriteTime(writer, t);
        }

        writer.WriteEndObject();
        return error;
    }
}
