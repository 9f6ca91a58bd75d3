using System.Globalization;

namespace Tern.Lwm2m.Model;

/// <summary>
/// One typed LwM2M value. Numbers, booleans, times and object links are held without boxing;
/// strings, CoRE links and opaque bytes by reference. Equality compares opaque values by content and
/// floats by their bits (so NaN equals the same NaN, and 0.0 differs from -0.0); <c>default</c> is a
/// value of type <see cref="Lwm2mResourceType.None"/>.
/// </summary>
public readonly struct Lwm2mValue : IEquatable<Lwm2mValue>
{
    private readonly long _bits;
    private readonly object? _ref;

    private Lwm2mValue(Lwm2mResourceType type, long bits, object? reference)
    {
        Type = type;
        _bits = bits;
        _ref = reference;
    }

    /// <summary>The value's type.</summary>
    public Lwm2mResourceType Type { get; }

    /// <summary>A String value.</summary>
    public static Lwm2mValue FromString(string value) => new(Lwm2mResourceType.String, 0, value ?? throw new ArgumentNullException(nameof(value)));
    /// <summary>An Integer value.</summary>
    public static Lwm2mValue FromInteger(long value) => new(Lwm2mResourceType.Integer, value, null);
    /// <summary>An Unsigned Integer value.</summary>
    public static Lwm2mValue FromUnsignedInteger(ulong value) => new(Lwm2mResourceType.UnsignedInteger, unchecked((long)value), null);
    /// <summary>A Float value.</summary>
    public static Lwm2mValue FromFloat(double value) => new(Lwm2mResourceType.Float, BitConverter.DoubleToInt64Bits(value), null);
    /// <summary>A Boolean value.</summary>
    public static Lwm2mValue FromBoolean(bool value) => new(Lwm2mResourceType.Boolean, value ? 1 : 0, null);
    /// <summary>An Opaque value (the array is kept, not copied).</summary>
    public static Lwm2mValue FromOpaque(byte[] value) => new(Lwm2mResourceType.Opaque, 0, value ?? throw new ArgumentNullException(nameof(value)));
    /// <summary>A Time value, held as whole seconds since the Unix epoch.</summary>
    public static Lwm2mValue FromTime(DateTimeOffset value) => new(Lwm2mResourceType.Time, value.ToUnixTimeSeconds(), null);
    /// <summary>A Time value from seconds since the Unix epoch.</summary>
    public static Lwm2mValue FromUnixTime(long seconds) => new(Lwm2mResourceType.Time, seconds, null);
    /// <summary>An Objlnk value.</summary>
    public static Lwm2mValue FromObjectLink(Lwm2mObjectLink value) => new(Lwm2mResourceType.Objlnk, ((long)value.ObjectId << 16) | value.InstanceId, null);
    /// <summary>A Corelnk value (the link-format text).</summary>
    public static Lwm2mValue FromCoreLink(string value) => new(Lwm2mResourceType.Corelnk, 0, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>The String or Corelnk text.</summary>
    public string AsString() => Type is Lwm2mResourceType.String or Lwm2mResourceType.Corelnk ? (string)_ref! : throw Mismatch("a string");
    /// <summary>The Integer value.</summary>
    public long AsInteger() => Type == Lwm2mResourceType.Integer ? _bits : throw Mismatch("an integer");
    /// <summary>The Unsigned Integer value.</summary>
    public ulong AsUnsignedInteger() => Type == Lwm2mResourceType.UnsignedInteger ? unchecked((ulong)_bits) : throw Mismatch("an unsigned integer");
    /// <summary>The Float value.</summary>
    public double AsFloat() => Type == Lwm2mResourceType.Float ? BitConverter.Int64BitsToDouble(_bits) : throw Mismatch("a float");
    /// <summary>The Boolean value.</summary>
    public bool AsBoolean() => Type == Lwm2mResourceType.Boolean ? _bits != 0 : throw Mismatch("a boolean");
    /// <summary>The Opaque bytes.</summary>
    public byte[] AsOpaque() => Type == Lwm2mResourceType.Opaque ? (byte[])_ref! : throw Mismatch("opaque");
    /// <summary>The Time value as seconds since the Unix epoch.</summary>
    public long AsUnixTime() => Type == Lwm2mResourceType.Time ? _bits : throw Mismatch("a time");
    /// <summary>The Time value.</summary>
    public DateTimeOffset AsTime() => DateTimeOffset.FromUnixTimeSeconds(AsUnixTime());
    /// <summary>The Objlnk value.</summary>
    public Lwm2mObjectLink AsObjectLink() => Type == Lwm2mResourceType.Objlnk ? new Lwm2mObjectLink((ushort)(_bits >> 16), (ushort)_bits) : throw Mismatch("an object link");

    private InvalidOperationException Mismatch(string wanted) =>
        new($"The value is {Type}, not {wanted}; check {nameof(Type)} first, or call {Accessor(Type)} for this value.");

    private static string Accessor(Lwm2mResourceType type) => type switch
    {
        Lwm2mResourceType.String or Lwm2mResourceType.Corelnk => nameof(AsString) + "()",
        Lwm2mResourceType.Integer => nameof(AsInteger) + "()",
        Lwm2mResourceType.UnsignedInteger => nameof(AsUnsignedInteger) + "()",
        Lwm2mResourceType.Float => nameof(AsFloat) + "()",
        Lwm2mResourceType.Boolean => nameof(AsBoolean) + "()",
        Lwm2mResourceType.Opaque => nameof(AsOpaque) + "()",
        Lwm2mResourceType.Time => nameof(AsTime) + "() or " + nameof(AsUnixTime) + "()",
        Lwm2mResourceType.Objlnk => nameof(AsObjectLink) + "()",
        _ => "nothing (it holds no value)",
    };

    /// <inheritdoc />
    public bool Equals(Lwm2mValue other)
    {
        if (Type != other.Type)
        {
            return false;
        }

        return Type switch
        {
            Lwm2mResourceType.String or Lwm2mResourceType.Corelnk => string.Equals((string?)_ref, (string?)other._ref, StringComparison.Ordinal),
            Lwm2mResourceType.Opaque => ((byte[])_ref!).AsSpan().SequenceEqual((byte[])other._ref!),
            _ => _bits == other._bits,
        };
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Lwm2mValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Type switch
    {
        Lwm2mResourceType.String or Lwm2mResourceType.Corelnk => HashCode.Combine(Type, StringComparer.Ordinal.GetHashCode((string)_ref!)),
        Lwm2mResourceType.Opaque => OpaqueHash((byte[])_ref!),
        _ => HashCode.Combine(Type, _bits),
    };

    private static int OpaqueHash(byte[] bytes)
    {
        var hash = new HashCode();
        hash.Add(Lwm2mResourceType.Opaque);
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(Lwm2mValue left, Lwm2mValue right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Lwm2mValue left, Lwm2mValue right) => !left.Equals(right);

    /// <summary>A readable form: the text form of LwM2M's plain-text format, opaque as hex.</summary>
    public override string ToString() => Type switch
    {
        Lwm2mResourceType.String or Lwm2mResourceType.Corelnk => (string)_ref!,
        Lwm2mResourceType.Integer or Lwm2mResourceType.Time => _bits.ToString(CultureInfo.InvariantCulture),
        Lwm2mResourceType.UnsignedInteger => unchecked((ulong)_bits).ToString(CultureInfo.InvariantCulture),
        Lwm2mResourceType.Float => AsFloat().ToString("R", CultureInfo.InvariantCulture),
        Lwm2mResourceType.Boolean => _bits != 0 ? "1" : "0",
        Lwm2mResourceType.Opaque => Convert.ToHexString((byte[])_ref!),
        Lwm2mResourceType.Objlnk => AsObjectLink().ToString(),
        _ => string.Empty,
    };
}
