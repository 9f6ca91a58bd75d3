using System.Buffers;
using System.Text;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Model;

public class Lwm2mValueConverterTests
{
    private static Lwm2mValue Ok(string text, Lwm2mResourceType type)
    {
        Lwm2mCodecResult<Lwm2mValue> result = Lwm2mValueConverter.Parse(text, type);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        return result.Value;
    }

    private static Lwm2mCodecError Bad(string text, Lwm2mResourceType type)
    {
        Lwm2mCodecResult<Lwm2mValue> result = Lwm2mValueConverter.Parse(text, type);
        Assert.False(result.IsSuccess, $"'{text}' parsed as {type}: {result.Value}");
        return result.Error!;
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("42", 42L)]
    [InlineData("-42", -42L)]
    [InlineData("-0", 0L)]
    [InlineData("007", 7L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Integers_are_signed_ascii_decimals(string text, long expected)
    {
        Assert.Equal(Lwm2mValue.FromInteger(expected), Ok(text, Lwm2mResourceType.Integer));
    }

    [Theory]
    [InlineData("", Lwm2mCodecErrorKind.TypeMismatch, 0)]
    [InlineData("-", Lwm2mCodecErrorKind.TypeMismatch, 1)]
    [InlineData("+5", Lwm2mCodecErrorKind.TypeMismatch, 0)]
    [InlineData(" 5", Lwm2mCodecErrorKind.TypeMismatch, 0)]
    [InlineData("5 ", Lwm2mCodecErrorKind.TypeMismatch, 1)]
    [InlineData("1,000", Lwm2mCodecErrorKind.TypeMismatch, 1)]
    [InlineData("1.0", Lwm2mCodecErrorKind.TypeMismatch, 1)]
    [InlineData("0x10", Lwm2mCodecErrorKind.TypeMismatch, 1)]
    [InlineData("--1", Lwm2mCodecErrorKind.TypeMismatch, 1)]
    [InlineData("9223372036854775808", Lwm2mCodecErrorKind.TooLarge, 0)]
    public void Bad_integers_are_typed_errors_with_offsets(string text, Lwm2mCodecErrorKind kind, int offset)
    {
        Lwm2mCodecError error = Bad(text, Lwm2mResourceType.Integer);

        Assert.Equal((kind, offset), (error.Kind, error.Offset));
    }

    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    public void Unsigned_integers_cover_the_full_64_bits(string text, ulong expected)
    {
        Assert.Equal(Lwm2mValue.FromUnsignedInteger(expected), Ok(text, Lwm2mResourceType.UnsignedInteger));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("18446744073709551616")]
    [InlineData("1e3")]
    public void Unsigned_integers_refuse_signs_overflow_and_exponents(string text)
    {
        Bad(text, Lwm2mResourceType.UnsignedInteger);
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("3.14", 3.14)]
    [InlineData("-3.14", -3.14)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1E+3", 1000.0)]
    [InlineData("2.5e-3", 0.0025)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("1.7976931348623157E+308", double.MaxValue)]
    [InlineData("4.9E-324", double.Epsilon)]
    public void Floats_are_invariant_decimals_with_optional_exponent(string text, double expected)
    {
        Assert.Equal(expected, Ok(text, Lwm2mResourceType.Float).AsFloat());
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1,5")]
    [InlineData("+1.5")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData(" 1.5")]
    [InlineData("0x1p3")]
    public void Floats_refuse_anything_but_plain_decimal_notation(string text)
    {
        Assert.Equal(Lwm2mCodecErrorKind.TypeMismatch, Bad(text, Lwm2mResourceType.Float).Kind);
    }

    [Fact]
    public void A_float_beyond_double_range_is_too_large()
    {
        Assert.Equal(Lwm2mCodecErrorKind.TooLarge, Bad("1e400", Lwm2mResourceType.Float).Kind);
    }

    [Theory]
    [InlineData("0", false)]
    [InlineData("1", true)]
    public void Booleans_are_0_or_1(string text, bool expected)
    {
        Assert.Equal(Lwm2mValue.FromBoolean(expected), Ok(text, Lwm2mResourceType.Boolean));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("2")]
    [InlineData("01")]
    [InlineData("")]
    [InlineData("1 ")]
    public void Booleans_refuse_words_and_other_numbers(string text)
    {
        Assert.Equal(Lwm2mCodecErrorKind.TypeMismatch, Bad(text, Lwm2mResourceType.Boolean).Kind);
    }

    [Fact]
    public void Time_is_signed_seconds_since_the_epoch()
    {
        Lwm2mValue value = Ok("1700000000", Lwm2mResourceType.Time);

        Assert.Equal(Lwm2mResourceType.Time, value.Type);
        Assert.Equal(new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero), value.AsTime());
        Assert.Equal(-1, Ok("-1", Lwm2mResourceType.Time).AsUnixTime());
        Bad("2023-11-14T22:13:20Z", Lwm2mResourceType.Time);
    }

    [Theory]
    [InlineData("3:0", 3, 0)]
    [InlineData("65535:65535", 65535, 65535)]
    [InlineData("0:12", 0, 12)]
    public void Object_links_are_object_colon_instance(string text, int objectId, int instanceId)
    {
        Assert.Equal(new Lwm2mObjectLink((ushort)objectId, (ushort)instanceId), Ok(text, Lwm2mResourceType.Objlnk).AsObjectLink());
    }

    [Theory]
    [InlineData("3")]
    [InlineData("3:")]
    [InlineData(":0")]
    [InlineData("3:0:1")]
    [InlineData("65536:0")]
    [InlineData("-1:0")]
    [InlineData("3 :0")]
    public void Bad_object_links_are_errors(string text)
    {
        Assert.Equal(Lwm2mCodecErrorKind.TypeMismatch, Bad(text, Lwm2mResourceType.Objlnk).Kind);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("AA==", "00")]
    [InlineData("AQID", "010203")]
    [InlineData("+/8=", "FBFF")]
    [InlineData("SGVsbG8=", "48656C6C6F")]
    [InlineData("AQIDBAU=", "0102030405")] // the example of TS Core Appendix C, Table C-2
    public void Opaque_text_is_padded_base64(string text, string hex)
    {
        Assert.Equal(Convert.FromHexString(hex), Ok(text, Lwm2mResourceType.Opaque).AsOpaque());
    }

    [Theory]
    [InlineData("AQI", Lwm2mCodecErrorKind.Malformed, 0)]
    [InlineData("AQ ID", Lwm2mCodecErrorKind.Malformed, 2)]
    [InlineData("AQ-_", Lwm2mCodecErrorKind.Malformed, 2)]
    [InlineData("A===", Lwm2mCodecErrorKind.Malformed, 0)]
    public void Bad_base64_is_malformed(string text, Lwm2mCodecErrorKind kind, int offset)
    {
        Lwm2mCodecError error = Bad(text, Lwm2mResourceType.Opaque);

        Assert.Equal((kind, offset), (error.Kind, error.Offset));
    }

    [Fact]
    public void Strings_and_core_links_are_taken_as_they_are()
    {
        Assert.Equal(Lwm2mValue.FromString(" Open Mobile Alliance "), Ok(" Open Mobile Alliance ", Lwm2mResourceType.String));
        Assert.Equal(Lwm2mValue.FromCoreLink("</3/0>;ver=1.1"), Ok("</3/0>;ver=1.1", Lwm2mResourceType.Corelnk));
        Assert.Equal(Lwm2mValue.FromString(string.Empty), Ok(string.Empty, Lwm2mResourceType.String));
    }

    [Fact]
    public void A_type_without_values_cannot_be_parsed()
    {
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, Bad("", Lwm2mResourceType.None).Kind);
    }

    [Fact]
    public void Numbers_longer_than_the_limit_are_too_large_not_parsed()
    {
        string longNumber = new('1', Lwm2mValueConverter.MaxNumberLength + 1);

        Assert.Equal(Lwm2mCodecErrorKind.TooLarge, Bad(longNumber, Lwm2mResourceType.Float).Kind);
        Assert.Equal(Lwm2mCodecErrorKind.TooLarge, Bad(longNumber, Lwm2mResourceType.Integer).Kind);
        Assert.Equal(Lwm2mCodecErrorKind.TooLarge, Lwm2mValueConverter.ParseUtf8(Encoding.ASCII.GetBytes(longNumber), Lwm2mResourceType.Integer).Error!.Kind);
    }

    [Fact]
    public void Utf8_strings_decode_and_invalid_utf8_is_reported_at_its_byte()
    {
        Lwm2mCodecResult<Lwm2mValue> ok = Lwm2mValueConverter.ParseUtf8("Grüße"u8, Lwm2mResourceType.String);
        Lwm2mCodecResult<Lwm2mValue> bad = Lwm2mValueConverter.ParseUtf8([0x41, 0x42, 0xC3, 0x28], Lwm2mResourceType.String);

        Assert.Equal("Grüße", ok.Value.AsString());
        Assert.Equal((Lwm2mCodecErrorKind.Malformed, 2), (bad.Error!.Kind, bad.Error.Offset));
    }

    [Fact]
    public void Utf8_numbers_refuse_non_ascii_bytes_at_their_offset()
    {
        Lwm2mCodecResult<Lwm2mValue> result = Lwm2mValueConverter.ParseUtf8([0x31, 0xD9, 0xA3], Lwm2mResourceType.Integer);

        Assert.Equal((Lwm2mCodecErrorKind.TypeMismatch, 1), (result.Error!.Kind, result.Error.Offset));
        Assert.Equal(Lwm2mValue.FromInteger(-12), Lwm2mValueConverter.ParseUtf8("-12"u8, Lwm2mResourceType.Integer).Value);
    }

    public static TheoryData<string, string> FormatVectors() => new()
    {
        { "i:-42", "-42" },
        { "u:18446744073709551615", "18446744073709551615" },
        { "f:3.14", "3.14" },
        { "f:1e20", "1E+20" },
        { "f:-0.0025", "-0.0025" },
        { "f:100", "100" },
        { "b:1", "1" },
        { "b:0", "0" },
        { "t:1700000000", "1700000000" },
        { "o:3:0", "3:0" },
        { "x:00FF10", "AP8Q" },
        { "x:0102030405", "AQIDBAU=" },
        { "s:Grüße", "Grüße" },
    };

    private static Lwm2mValue Value(string spec) => spec[0] switch
    {
        'i' => Lwm2mValue.FromInteger(long.Parse(spec[2..])),
        'u' => Lwm2mValue.FromUnsignedInteger(ulong.Parse(spec[2..])),
        'f' => Lwm2mValue.FromFloat(double.Parse(spec[2..], System.Globalization.CultureInfo.InvariantCulture)),
        'b' => Lwm2mValue.FromBoolean(spec[2] == '1'),
        't' => Lwm2mValue.FromUnixTime(long.Parse(spec[2..])),
        'o' => Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(ushort.Parse(spec[2..].Split(':')[0]), ushort.Parse(spec[2..].Split(':')[1]))),
        'x' => Lwm2mValue.FromOpaque(Convert.FromHexString(spec[2..])),
        _ => Lwm2mValue.FromString(spec[2..]),
    };

    [Theory]
    [MemberData(nameof(FormatVectors))]
    public void Values_format_to_their_plain_text_as_string_and_as_utf8(string spec, string expected)
    {
        Lwm2mValue value = Value(spec);
        var buffer = new ArrayBufferWriter<byte>();

        Assert.Equal(expected, Lwm2mValueConverter.Format(value).Value);
        Assert.Null(Lwm2mValueConverter.FormatUtf8(value, buffer));
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Nan_infinity_and_valueless_values_have_no_text_form()
    {
        var buffer = new ArrayBufferWriter<byte>();

        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, Lwm2mValueConverter.Format(Lwm2mValue.FromFloat(double.NaN)).Error!.Kind);
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, Lwm2mValueConverter.FormatUtf8(Lwm2mValue.FromFloat(double.PositiveInfinity), buffer)!.Kind);
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, Lwm2mValueConverter.Format(default).Error!.Kind);
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Every_typed_value_reads_back_equal_from_its_own_text()
    {
        var random = new Random(20261121);
        for (int n = 0; n < 5000; n++)
        {
            Lwm2mValue value = RandomValue(random);
            var buffer = new ArrayBufferWriter<byte>();
            Assert.Null(Lwm2mValueConverter.FormatUtf8(value, buffer));

            Lwm2mCodecResult<Lwm2mValue> back = Lwm2mValueConverter.ParseUtf8(buffer.WrittenSpan, value.Type);

            Assert.True(back.IsSuccess, $"{value.Type} '{Encoding.UTF8.GetString(buffer.WrittenSpan)}': {back.Error}");
            Assert.Equal(value, back.Value);
        }
    }

    [Fact]
    public void Random_text_never_throws_for_any_type()
    {
        var random = new Random(7);
        const string alphabet = "0123456789-+.eE: =/AZaz\u00e9";
        Lwm2mResourceType[] types = Enum.GetValues<Lwm2mResourceType>();
        for (int n = 0; n < 20000; n++)
        {
            char[] chars = new char[random.Next(0, 24)];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[random.Next(alphabet.Length)];
            }

            Lwm2mCodecResult<Lwm2mValue> result = Lwm2mValueConverter.Parse(chars, types[random.Next(types.Length)]);

            Assert.True(result.IsSuccess || result.Error!.Message.Length > 0);
        }
    }

    internal static Lwm2mValue RandomValue(Random random)
    {
        switch (random.Next(9))
        {
            case 0: return Lwm2mValue.FromInteger(random.NextInt64(long.MinValue, long.MaxValue));
            case 1: return Lwm2mValue.FromUnsignedInteger((ulong)random.NextInt64() * 2 + (ulong)random.Next(2));
            case 2:
                double d;
                do
                {
                    d = BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
                }
                while (!double.IsFinite(d));
                return Lwm2mValue.FromFloat(d);
            case 3: return Lwm2mValue.FromBoolean(random.Next(2) == 1);
            case 4: return Lwm2mValue.FromUnixTime(random.NextInt64(-1L << 40, 1L << 40));
            case 5: return Lwm2mValue.FromObjectLink(new Lwm2mObjectLink((ushort)random.Next(65536), (ushort)random.Next(65536)));
            case 6:
                byte[] bytes = new byte[random.Next(0, 40)];
                random.NextBytes(bytes);
                return Lwm2mValue.FromOpaque(bytes);
            case 7: return Lwm2mValue.FromCoreLink($"</{random.Next(100)}/0>");
            default: return Lwm2mValue.FromString(new string((char)random.Next(0x20, 0x7F), random.Next(0, 10)) + "é");
        }
    }
}
