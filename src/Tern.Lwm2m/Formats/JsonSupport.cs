using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Formats;

/// <summary>What the two JSON formats (SenML JSON, OMA JSON) share: a reusable writer, path text, error offsets.</summary>
internal static partial class JsonSupport
{
    /// <summary>Containers deeper than this are refused before the reader's own limit is reached.</summary>
    public const int MaxDepth = 4;

    /// <summary>Paths are at most "/65534/65534/65534/65534/" (25 characters).</summary>
    public const int MaxPathLength = 32;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Keep "+02:00" and non-ASCII text readable; quotes, backslashes and controls are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>A writer bound to <paramref name="output"/>, reused per thread so encoding allocates nothing.</summary>
    public static Utf8JsonWriter RentWriter(IBufferWriter<byte> output)
    {
        Utf8JsonWriter? writer = t_writer;
        if (writer is null)
        {
            return new Utf8JsonWriter(output, WriterOptions);
        }

        t_writer = null;
        writer.Reset(output);
        return writer;
    }

    /// <summary>Flushes the writer into its output and keeps it for the next call on this thread.</summary>
    public static void ReturnWriter(Utf8JsonWriter writer)
    {
        writer.Flush();
        writer.Reset(NullBufferWriter.Instance);
        t_writer = writer;
    }

    /// <summary>Writes the path's segments from <paramref name="fromLevel"/> on, e.g. "/3/0/" or "6/1"; returns the bytes written.</summary>
    public static int FormatPath(Span<byte> destination, Lwm2mPath path, int fromLevel, bool leadingSlash, bool trailingSlash)
    {
        int p = 0;
        for (int level = fromLevel + 1; level <= (int)path.Level; level++)
        {
            if (p > 0 || leadingSlash)
            {
                destination[p++] = (byte)'/';
            }

            int id = level switch { 1 => path.ObjectId!.Value, 2 => path.InstanceId!.Value, 3 => path.ResourceId!.Value, _ => path.ResourceInstanceId!.Value };
            id.TryFormat(destination[p..], out int written, default, CultureInfo.InvariantCulture);
            p += written;
        }

        if (trailingSlash || (p == 0 && leadingSlash))
        {
            destination[p++] = (byte)'/';
        }

        return p;
    }

    /// <summary>Reads a whole JSON document; the reader throws on bad JSON, so <see cref="Read"/> turns that into an error.</summary>
    public delegate Lwm2mCodecError? DocumentReader(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IObjectDefinitionProvider model, TimeProvider clock, RecordBuffer records);

    /// <summary>
    /// Runs <paramref name="document"/> over <paramref name="payload"/> after checking it is UTF-8, turning the
    /// reader's exceptions (bad JSON, escaped lone surrogates) into typed errors at the offending byte.
    /// </summary>
    public static Lwm2mCodecError? Read(ReadOnlySpan<byte> payload, IObjectDefinitionProvider model, TimeProvider clock, RecordBuffer records, DocumentReader document)
    {
        if (CheckUtf8(payload) is { } utf8)
        {
            return utf8;
        }

        var reader = new Utf8JsonReader(payload, ReaderOptions);
        try
        {
            return document(ref reader, payload, model, clock, records);
        }
        catch (JsonException exception)
        {
            return FromReaderException(exception, payload);
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.CopyString/GetString refuse escaped lone surrogates ("\ud800") this way.
            return new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, "A string holds an invalid escape (a lone UTF-16 surrogate).", (int)reader.TokenStartIndex);
        }
    }

    /// <summary>A Malformed error for a reader exception, at the byte offset the reader reached.</summary>
    public static Lwm2mCodecError FromReaderException(JsonException exception, ReadOnlySpan<byte> payload)
    {
        long line = exception.LineNumber ?? 0, column = exception.BytePositionInLine ?? 0;
        int offset = 0;
        for (long l = 0; l < line && offset < payload.Length; l++)
        {
            int next = payload[offset..].IndexOf((byte)'\n');
            offset = next < 0 ? payload.Length : offset + next + 1;
        }

        offset = (int)Math.Min(payload.Length, offset + column);
        string reason = exception.Message.Split(" LineNumber", 2)[0];
        return new Lwm2mCodecError(offset >= payload.Length ? Lwm2mCodecErrorKind.Truncated : Lwm2mCodecErrorKind.Malformed, $"Invalid JSON: {reason}", offset);
    }

    /// <summary>Null when the payload is valid UTF-8, else a Malformed error at the first bad byte.</summary>
    public static Lwm2mCodecError? CheckUtf8(ReadOnlySpan<byte> payload)
    {
        if (Utf8.IsValid(payload))
        {
            return null;
        }

        int offset = 0;
        while (offset < payload.Length && Rune.DecodeFromUtf8(payload[offset..], out _, out int consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        return new Lwm2mCodecError(Lwm2mCodecErrorKind.Malformed, "The payload is not valid UTF-8.", offset);
    }

    /// <summary>The type an untyped JSON number reads as (no definition known): Integer when it is integral, else Float.</summary>
    public static Lwm2mResourceType NumberType(ReadOnlySpan<byte> number) =>
        long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? Lwm2mResourceType.Integer : Lwm2mResourceType.Float;

    /// <summary>Reads a JSON number as a value of a numeric <paramref name="type"/> (Integer, Time, Unsigned Integer, Float); false when it does not fit.</summary>
    public static bool TryNumber(ReadOnlySpan<byte> number, Lwm2mResourceType type, out Lwm2mValue value)
    {
        value = default;
        switch (type)
        {
            case Lwm2mResourceType.Integer or Lwm2mResourceType.Time when TryInteger(number, out long n):
                value = type == Lwm2mResourceType.Integer ? Lwm2mValue.FromInteger(n) : Lwm2mValue.FromUnixTime(n);
                return true;
            case Lwm2mResourceType.UnsignedInteger when ulong.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out ulong u):
                value = Lwm2mValue.FromUnsignedInteger(u);
                return true;
            case Lwm2mResourceType.Float when double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d):
                value = Lwm2mValue.FromFloat(d);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Integers may arrive as integral decimals (3800.0); anything fractional or out of range is refused.</summary>
    public static bool TryInteger(ReadOnlySpan<byte> number, out long n)
    {
        if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
        {
            return true;
        }

        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && Math.Floor(d) == d && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18)
        {
            n = (long)d;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Turns resolved SenML seconds into an instant: at or above 2^28 they are absolute, below they are relative
    /// to now (RFC 8428 §4.5.3). Null when the instant lies outside what <see cref="DateTimeOffset"/> holds.
    /// </summary>
    public static DateTimeOffset? ResolveTime(double seconds, TimeProvider clock)
    {
        const double RelativeTimeLimit = 268_435_456;
        double absolute = seconds >= RelativeTimeLimit ? seconds : clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0 + seconds;
        return absolute is > -62_135_596_800 and < 253_402_300_799
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(absolute * 1000))
            : null;
    }

    /// <summary>Skips an unknown member's value, refusing containers nested deeper than <see cref="MaxDepth"/>.</summary>
    public static Lwm2mCodecError? SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartArray or JsonTokenType.StartObject))
        {
            return null;
        }

        int depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.CurrentDepth > MaxDepth)
            {
                return new Lwm2mCodecError(Lwm2mCodecErrorKind.NestingTooDeep, $"JSON nests deeper than {MaxDepth} levels.", (int)reader.TokenStartIndex);
            }
        }

        return null;
    }

    /// <summary>Reader options: no comments, no trailing commas; depth is checked by the codecs themselves first.</summary>
    public static JsonReaderOptions ReaderOptions => new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>A sink for a writer between uses, so it holds no reference to the caller's buffer.</summary>
    private sealed class NullBufferWriter : IBufferWriter<byte>
    {
        public static readonly NullBufferWriter Instance = new();

        private readonly byte[] _scratch = new byte[256];

        public void Advance(int count)
        {
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => _scratch;

        public Span<byte> GetSpan(int sizeHint = 0) => _scratch;
    }
}
