using System.Text.Json;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats.SenmlJson;

/// <summary>
/// Reads SenML JSON (RFC 8428) into LwM2M records: resolves names (bn + n) and times (bt + t, absolute at or
/// above 2^28 seconds, else relative to now), types values by the model (by the SenML field where the model
/// does not know the resource), and reports every problem as a typed error with a byte offset.
/// </summary>
internal static class SenmlJsonReader
{
    private enum Field { None = 0, Bn = 1, Bt = 2, N = 4, T = 8, V = 16, Vs = 32, Vb = 64, Vd = 128, Vlo = 256, Bver = 512 }

    private ref struct RecordState
    {
        public Field Seen;
        public Field ValueField;
        public int ValueOffset;
        public int NumberStart, NumberLength;
        public string? Text;
        public bool Bool;
        public double Time;
    }

    public static Lwm2mCodecError? Read(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model, TimeProvider clock, RecordBuffer records) =>
        JsonSupport.Read(payload, model, clock, records, ReadDocument);

    private static Lwm2mCodecError? ReadDocument(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IObjectDefinitionProvider model, TimeProvider clock, RecordBuffer records)
    {
        if (!reader.Read())
        {
            return Fail(Lwm2mCodecErrorKind.Truncated, "The payload is empty; SenML JSON is an array of records.", 0);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Fail(Lwm2mCodecErrorKind.Malformed, "SenML JSON is an array of records.", (int)reader.TokenStartIndex);
        }

        Span<char> baseName = stackalloc char[JsonSupport.MaxPathLength];
        Span<char> name = stackalloc char[2 * JsonSupport.MaxPathLength];
        int baseNameLength = 0;
        double? baseTime = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            int recordStart = (int)reader.TokenStartIndex;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return Fail(Lwm2mCodecErrorKind.Malformed, "Each SenML record is a JSON object.", recordStart);
            }

            var state = default(RecordState);
            int nameLength = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                int fieldOffset = (int)reader.TokenStartIndex;
                Field field = Identify(ref reader);
                if (field != Field.None && (state.Seen & field) != 0)
                {
                    return Fail(Lwm2mCodecErrorKind.Malformed, "A SenML record repeats a field.", fieldOffset);
                }

                state.Seen |= field;
                bool mustUnderstand = field == Field.None && reader.ValueSpan.Length > 0 && reader.ValueSpan[^1] == (byte)'_';
                reader.Read();
                int valueOffset = (int)reader.TokenStartIndex;
                switch (field)
                {
                    case Field.None:
                        if (mustUnderstand)
                        {
                            return Fail(Lwm2mCodecErrorKind.Malformed, "The record has a must-understand field (ending in '_') this decoder does not know.", fieldOffset);
                        }

                        if (JsonSupport.SkipValue(ref reader) is { } tooDeep)
                        {
                            return tooDeep;
                        }

                        break;
                    case Field.Bn or Field.N:
                        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > JsonSupport.MaxPathLength)
                        {
                            return Fail(Lwm2mCodecErrorKind.InvalidPath, "A SenML name is a string holding an LwM2M path.", valueOffset);
                        }

                        if (field == Field.Bn)
                        {
                            baseNameLength = reader.CopyString(baseName);
                        }
                        else
                        {
                            nameLength = reader.CopyString(name[JsonSupport.MaxPathLength..]);
                        }

                        break;
                    case Field.Bt or Field.T or Field.Bver:
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double number) || !double.IsFinite(number))
                        {
                            return Fail(Lwm2mCodecErrorKind.Malformed, "SenML times and versions are numbers.", valueOffset);
                        }

                        if (field == Field.Bt)
                        {
                            baseTime = number;
                        }
                        else if (field == Field.T)
                        {
                            state.Time = number;
                        }

                        break;
                    default:
                        if (state.ValueField != Field.None)
                        {
                            return Fail(Lwm2mCodecErrorKind.Malformed, "A SenML record carries more than one value.", fieldOffset);
                        }

                        state.ValueField = field;
                        state.ValueOffset = valueOffset;
                        if (ReadValueToken(ref reader, field, ref state) is { } bad)
                        {
                            return bad;
                        }

                        break;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                return Fail(Lwm2mCodecErrorKind.Truncated, "A SenML record is not closed.", payload.Length);
            }

            // Resolve the name: base name followed by name.
            baseName[..baseNameLength].CopyTo(name[(JsonSupport.MaxPathLength - baseNameLength)..]);
            ReadOnlySpan<char> fullName = name.Slice(JsonSupport.MaxPathLength - baseNameLength, baseNameLength + nameLength);
            if (fullName.IsEmpty || fullName[0] != '/' || !Lwm2mPath.TryParse(fullName, out Lwm2mPath path))
            {
                return Fail(Lwm2mCodecErrorKind.InvalidPath, $"The record name '{fullName}' is not an LwM2M path like /3/0/1.", recordStart);
            }

            DateTimeOffset? timestamp = null;
            if (baseTime is not null || (state.Seen & Field.T) != 0)
            {
                timestamp = JsonSupport.ResolveTime((baseTime ?? 0) + state.Time, clock);
                if (timestamp is null)
                {
                    return Fail(Lwm2mCodecErrorKind.TooLarge, "The record time lies outside years 1–9999.", recordStart);
                }
            }

            Lwm2mValue? value = null;
            if (state.ValueField != Field.None)
            {
                if (path.Level < Lwm2mPathLevel.Resource)
                {
                    return Fail(Lwm2mCodecErrorKind.InvalidPath, $"A value needs a resource path, not {path}.", recordStart);
                }

                ResourceDefinition? definition = model.GetObject(path.ObjectId!.Value)?.GetResource(path.ResourceId!.Value);
                if (ToValue(payload, ref state, definition?.Type, out Lwm2mValue v) is { } mismatch)
                {
                    return mismatch;
                }

                value = v;
            }

            records.Add(path, value, timestamp);
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            return Fail(Lwm2mCodecErrorKind.Truncated, "The record array is not closed.", payload.Length);
        }

        if (reader.Read())
        {
            return Fail(Lwm2mCodecErrorKind.Malformed, "Data follows the record array.", (int)reader.TokenStartIndex);
        }

        return null;
    }

    private static Field Identify(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("n"u8) ? Field.N
        : reader.ValueTextEquals("v"u8) ? Field.V
        : reader.ValueTextEquals("vs"u8) ? Field.Vs
        : reader.ValueTextEquals("vb"u8) ? Field.Vb
        : reader.ValueTextEquals("vd"u8) ? Field.Vd
        : reader.ValueTextEquals("vlo"u8) ? Field.Vlo
        : reader.ValueTextEquals("t"u8) ? Field.T
        : reader.ValueTextEquals("bn"u8) ? Field.Bn
        : reader.ValueTextEquals("bt"u8) ? Field.Bt
        : reader.ValueTextEquals("bver"u8) ? Field.Bver
        : Field.None;

    private static Lwm2mCodecError? ReadValueToken(ref Utf8JsonReader reader, Field field, ref RecordState state)
    {
        int offset = (int)reader.TokenStartIndex;
        switch (field)
        {
            case Field.V when reader.TokenType == JsonTokenType.Number:
                state.NumberStart = offset;
                state.NumberLength = reader.ValueSpan.Length;
                return null;
            case Field.Vb when reader.TokenType is JsonTokenType.True or JsonTokenType.False:
                state.Bool = reader.TokenType == JsonTokenType.True;
                return null;
            case Field.Vs or Field.Vd or Field.Vlo when reader.TokenType == JsonTokenType.String:
                state.Text = reader.GetString();
                return null;
            default:
                return Fail(Lwm2mCodecErrorKind.TypeMismatch, $"The SenML field '{field.ToString().ToLowerInvariant()}' holds a {reader.TokenType}.", offset);
        }
    }

    private static Lwm2mCodecError? ToValue(ReadOnlySpan<byte> payload, ref RecordState state, Lwm2mResourceType? known, out Lwm2mValue value)
    {
        value = default;
        Lwm2mResourceType type = known ?? state.ValueField switch
        {
            Field.Vs => Lwm2mResourceType.String,
            Field.Vb => Lwm2mResourceType.Boolean,
            Field.Vd => Lwm2mResourceType.Opaque,
            Field.Vlo => Lwm2mResourceType.Objlnk,
            _ => JsonSupport.NumberType(payload.Slice(state.NumberStart, state.NumberLength)),
        };

        Field expected = type switch
        {
            Lwm2mResourceType.String or Lwm2mResourceType.Corelnk => Field.Vs,
            Lwm2mResourceType.Boolean => Field.Vb,
            Lwm2mResourceType.Opaque => Field.Vd,
            Lwm2mResourceType.Objlnk => Field.Vlo,
            Lwm2mResourceType.None => Field.None,
            _ => Field.V,
        };

        if (expected != state.ValueField)
        {
            return Fail(Lwm2mCodecErrorKind.TypeMismatch, $"A {type} resource takes '{expected.ToString().ToLowerInvariant()}', not '{state.ValueField.ToString().ToLowerInvariant()}'.", state.ValueOffset);
        }

        return JsonSupport.ToValue(type, payload.Slice(state.NumberStart, state.NumberLength), new OwnedText(state.Text), state.Bool, base64Url: true, state.ValueOffset, out value);
    }

    /// <summary>A string the reader already allocated, handed on as the value's text without a copy.</summary>
    private readonly struct OwnedText(string? text) : IJsonText
    {
        public ReadOnlySpan<char> Span => text;

        public string ToText() => text!;
    }

    private static Lwm2mCodecError Fail(Lwm2mCodecErrorKind kind, string message, int offset) =>
        new(kind, message, offset);
}
