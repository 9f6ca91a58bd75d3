using System.Text.Json;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.OmaJson;

/// <summary>
/// Reads the LwM2M 1.0 JSON format into records. The base name and base time may come before or after
/// the entry array, so entries are collected first and resolved (bn + n, bt + t) when the object closes.
/// Types come from the model; unknown resources take theirs from the field (v, sv, bv, ov).
/// </summary>
internal static class OmaJsonReader
{
    private const int MaxKeptText = 16 * 1024;

    private enum Field { None, V, Sv, Bv, Ov }

    [ThreadStatic]
    private static List<Entry>? t_entries;

    // The unescaped text of every name and string value, one after another; entries point into it, so no
    // string is made except the string values a record keeps. One buffer per thread, reused like the entries.
    [ThreadStatic]
    private static char[]? t_text;

    /// <summary>Where one string lies in the thread's text buffer.</summary>
    private readonly record struct TextSlice(int Start, int Length) : IJsonText
    {
        public ReadOnlySpan<char> Span => t_text.AsSpan(Start, Length);

        public string ToText() => new(Span);
    }

    private struct Entry
    {
        public int Offset;
        public TextSlice Name;
        public double? Time;
        public Field ValueField;
        public int ValueOffset;
        public int NumberStart, NumberLength;
        public TextSlice Text;
        public bool Bool;
    }

    public static Lwm2mCodecError? Read(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model, TimeProvider clock, RecordBuffer records)
    {
        Lwm2mCodecError? error = JsonSupport.Read(payload, model, clock, records, ReadDocument);
        if (t_text is { Length: > MaxKeptText })
        {
            t_text = null; // a rare huge payload should not pin its text to the thread
        }

        return error;
    }

    private static Lwm2mCodecError? ReadDocument(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IObjectDefinitionProvider model, TimeProvider clock, RecordBuffer records)
    {
        if (!reader.Read())
        {
            return Fail(Lwm2mCodecErrorKind.Truncated, "The payload is empty; OMA JSON is an object with an \"e\" array.", 0);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Fail(Lwm2mCodecErrorKind.Malformed, "OMA JSON is an object with an \"e\" array.", (int)reader.TokenStartIndex);
        }

        TextSlice baseName = default;
        int textUsed = 0;
        double? baseTime = null;
        List<Entry>? entries = null;
        bool seenBn = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int fieldOffset = (int)reader.TokenStartIndex;
            bool isBn = reader.ValueTextEquals("bn"u8), isBt = reader.ValueTextEquals("bt"u8), isE = reader.ValueTextEquals("e"u8);
            if ((isBn && seenBn) || (isBt && baseTime is not null) || (isE && entries is not null))
            {
                return Fail(Lwm2mCodecErrorKind.Malformed, "The object repeats a field.", fieldOffset);
            }

            reader.Read();
            int valueOffset = (int)reader.TokenStartIndex;
            if (isBn)
            {
                if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > JsonSupport.MaxPathLength)
                {
                    return Fail(Lwm2mCodecErrorKind.InvalidPath, "\"bn\" is a string holding an LwM2M path.", valueOffset);
                }

                baseName = CopyText(ref reader, ref textUsed);
                seenBn = true;
            }
            else if (isBt)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double bt) || !double.IsFinite(bt))
                {
                    return Fail(Lwm2mCodecErrorKind.Malformed, "\"bt\" is a number of seconds.", valueOffset);
                }

                baseTime = bt;
            }
            else if (isE)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return Fail(Lwm2mCodecErrorKind.Malformed, "\"e\" is an array of entries.", valueOffset);
                }

                // One list per thread, reused: the entries only live until the records are built.
                entries = t_entries ??= [];
                entries.Clear();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Lwm2mCodecError? bad = ReadEntry(ref reader, ref textUsed, out Entry entry);
                    if (bad is not null)
                    {
                        return bad;
                    }

                    entries.Add(entry);
                }
            }
            else if (JsonSupport.SkipValue(ref reader) is { } tooDeep)
            {
                return tooDeep;
            }
        }

        if (reader.Read())
        {
            return Fail(Lwm2mCodecErrorKind.Malformed, "Data follows the JSON object.", (int)reader.TokenStartIndex);
        }

        if (entries is null)
        {
            return Fail(Lwm2mCodecErrorKind.Malformed, "The object has no \"e\" array.", 0);
        }

        Span<char> fullName = stackalloc char[2 * JsonSupport.MaxPathLength];
        foreach (Entry entry in entries)
        {
            ReadOnlySpan<char> entryName = entry.Name.Span;
            int length = baseName.Length + entryName.Length;
            if (length > fullName.Length)
            {
                return Fail(Lwm2mCodecErrorKind.InvalidPath, "The entry name is too long for an LwM2M path.", entry.Offset);
            }

            baseName.Span.CopyTo(fullName);
            entryName.CopyTo(fullName[baseName.Length..]);
            ReadOnlySpan<char> name = fullName[..length];
            if (name.Length == 0 || name[0] != '/' || !Lwm2mPath.TryParse(name, out Lwm2mPath path) || path.Level < Lwm2mPathLevel.Resource)
            {
                return Fail(Lwm2mCodecErrorKind.InvalidPath, $"The entry name '{name}' is not a resource path like /3/0/1.", entry.Offset);
            }

            DateTimeOffset? timestamp = null;
            if (baseTime is not null || entry.Time is not null)
            {
                timestamp = JsonSupport.ResolveTime((baseTime ?? 0) + (entry.Time ?? 0), clock);
                if (timestamp is null)
                {
                    return Fail(Lwm2mCodecErrorKind.TooLarge, "The entry time lies outside years 1–9999.", entry.Offset);
                }
            }

            ResourceDefinition? definition = model.GetObject(path.ObjectId!.Value)?.GetResource(path.ResourceId!.Value);
            Entry e = entry;
            if (ToValue(payload, ref e, definition?.Type, out Lwm2mValue value) is { } mismatch)
            {
                return mismatch;
            }

            records.Add(path, value, timestamp);
        }

        entries.Clear();
        return null;
    }

    private static Lwm2mCodecError? ReadEntry(ref Utf8JsonReader reader, ref int textUsed, out Entry entry)
    {
        entry = new Entry { Offset = (int)reader.TokenStartIndex };
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return Fail(Lwm2mCodecErrorKind.Malformed, "Each entry of \"e\" is an object.", entry.Offset);
        }

        bool seenName = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int fieldOffset = (int)reader.TokenStartIndex;
            Field field = reader.ValueTextEquals("v"u8) ? Field.V : reader.ValueTextEquals("sv"u8) ? Field.Sv
                : reader.ValueTextEquals("bv"u8) ? Field.Bv : reader.ValueTextEquals("ov"u8) ? Field.Ov : Field.None;
            bool isName = reader.ValueTextEquals("n"u8), isTime = reader.ValueTextEquals("t"u8);
            if ((isName && seenName) || (isTime && entry.Time is not null) || (field != Field.None && entry.ValueField != Field.None))
            {
                return Fail(Lwm2mCodecErrorKind.Malformed, field != Field.None ? "An entry carries more than one value." : "An entry repeats a field.", fieldOffset);
            }

            reader.Read();
            int valueOffset = (int)reader.TokenStartIndex;
            if (isName)
            {
                if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > JsonSupport.MaxPathLength)
                {
                    return Fail(Lwm2mCodecErrorKind.InvalidPath, "\"n\" is a string holding a relative LwM2M path.", valueOffset);
                }

                entry.Name = CopyText(ref reader, ref textUsed);
                seenName = true;
            }
            else if (isTime)
            {
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double t) || !double.IsFinite(t))
                {
                    return Fail(Lwm2mCodecErrorKind.Malformed, "\"t\" is a number of seconds.", valueOffset);
                }

                entry.Time = t;
            }
            else if (field != Field.None)
            {
                entry.ValueField = field;
                entry.ValueOffset = valueOffset;
                bool fits = field switch
                {
                    Field.V => reader.TokenType == JsonTokenType.Number,
                    Field.Bv => reader.TokenType is JsonTokenType.True or JsonTokenType.False,
                    _ => reader.TokenType == JsonTokenType.String,
                };
                if (!fits)
                {
                    return Fail(Lwm2mCodecErrorKind.TypeMismatch, $"The field '{field.ToString().ToLowerInvariant()}' holds a {reader.TokenType}.", valueOffset);
                }

                (entry.NumberStart, entry.NumberLength) = field == Field.V ? (valueOffset, reader.ValueSpan.Length) : (0, 0);
                entry.Bool = reader.TokenType == JsonTokenType.True;
                entry.Text = reader.TokenType == JsonTokenType.String ? CopyText(ref reader, ref textUsed) : default;
            }
            else if (JsonSupport.SkipValue(ref reader) is { } tooDeep)
            {
                return tooDeep;
            }
        }

        if (entry.ValueField == Field.None)
        {
            return Fail(Lwm2mCodecErrorKind.Malformed, "An entry carries no value (v, sv, bv or ov).", entry.Offset);
        }

        return null;
    }

    private static Lwm2mCodecError? ToValue(ReadOnlySpan<byte> payload, ref Entry entry, Lwm2mResourceType? known, out Lwm2mValue value)
    {
        value = default;
        ReadOnlySpan<byte> number = payload.Slice(entry.NumberStart, entry.NumberLength);
        Lwm2mResourceType type = known ?? entry.ValueField switch
        {
            Field.Sv => Lwm2mResourceType.String,
            Field.Bv => Lwm2mResourceType.Boolean,
            Field.Ov => Lwm2mResourceType.Objlnk,
            _ => JsonSupport.NumberType(number),
        };

        Field expected = type switch
        {
            Lwm2mResourceType.String or Lwm2mResourceType.Corelnk or Lwm2mResourceType.Opaque => Field.Sv,
            Lwm2mResourceType.Boolean => Field.Bv,
            Lwm2mResourceType.Objlnk => Field.Ov,
            Lwm2mResourceType.None => Field.None,
            _ => Field.V,
        };

        if (expected != entry.ValueField)
        {
            return Fail(Lwm2mCodecErrorKind.TypeMismatch, $"A {type} resource takes '{expected.ToString().ToLowerInvariant()}', not '{entry.ValueField.ToString().ToLowerInvariant()}'.", entry.ValueOffset);
        }

        return JsonSupport.ToValue(type, number, entry.Text, entry.Bool, base64Url: false, entry.ValueOffset, out value);
    }

    /// <summary>Appends the current string token's unescaped text to the thread's text buffer, growing it if needed.</summary>
    private static TextSlice CopyText(ref Utf8JsonReader reader, ref int used)
    {
        // Unescaped UTF-16 text never has more chars than the token has raw UTF-8 bytes.
        int needed = used + reader.ValueSpan.Length;
        char[] text = t_text ??= new char[Math.Max(256, needed)];
        if (needed > text.Length)
        {
            char[] larger = new char[Math.Max(needed, text.Length * 2)];
            text.AsSpan(0, used).CopyTo(larger);
            t_text = text = larger;
        }

        int length = reader.CopyString(text.AsSpan(used));
        var slice = new TextSlice(used, length);
        used += length;
        return slice;
    }

    private static Lwm2mCodecError Fail(Lwm2mCodecErrorKind kind, string message, int offset) =>
        new(kind, message, offset);
}
