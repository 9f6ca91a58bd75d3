using Tern.Lwm2m.Formats.Cbor;
using static Tern.Lwm2m.Tests.Formats.Cbor.CborTree;

namespace Tern.Lwm2m.Tests.Formats.Cbor;

/// <summary>The examples of RFC 8949 Appendix A, read and (where the hex is the preferred form) written back.</summary>
public class CborAppendixATests
{
    [Theory]
    [InlineData("00", 0UL)]
    [InlineData("01", 1UL)]
    [InlineData("0a", 10UL)]
    [InlineData("17", 23UL)]
    [InlineData("1818", 24UL)]
    [InlineData("1819", 25UL)]
    [InlineData("1864", 100UL)]
    [InlineData("1903e8", 1000UL)]
    [InlineData("1a000f4240", 1000000UL)]
    [InlineData("1b000000e8d4a51000", 1000000000000UL)]
    [InlineData("1bffffffffffffffff", 18446744073709551615UL)]
    public void Unsigned_integers_read_and_write_in_shortest_form(string hex, ulong value)
    {
        var reader = new CborReader(Hex(hex));
        Assert.Equal(CborReaderState.UnsignedInteger, reader.PeekState());
        Assert.True(reader.TryReadUInt64(out ulong read));
        Assert.Equal(value, read);
        Assert.Equal(CborReaderState.Finished, reader.PeekState());
        Assert.Equal(hex, ToHex(Write(new CUnsigned(value))));
    }

    [Theory]
    [InlineData("20", -1L)]
    [InlineData("29", -10L)]
    [InlineData("3863", -100L)]
    [InlineData("3903e7", -1000L)]
    [InlineData("3b7fffffffffffffff", long.MinValue)]
    public void Negative_integers_read_as_int64_and_write_back(string hex, long value)
    {
        var reader = new CborReader(Hex(hex));
        Assert.True(reader.TryReadInt64(out long read));
        Assert.Equal(value, read);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new CborWriter(buffer);
        writer.WriteInt64(value);
        Assert.Equal(hex, ToHex(buffer.WrittenSpan));
    }

    [Fact]
    public void Negative_integer_below_int64_range_is_an_overflow_error_but_readable_raw()
    {
        byte[] data = Hex("3bffffffffffffffff"); // -18446744073709551616
        var reader = new CborReader(data);
        Assert.False(reader.TryReadInt64(out _));
        Assert.Equal(CborErrorKind.Overflow, reader.Error.Kind);

        var raw = new CborReader(data);
        Assert.True(raw.TryReadCborNegativeIntegerRepresentation(out ulong n));
        Assert.Equal(ulong.MaxValue, n);
        Assert.Equal("-18446744073709551616", Read(data, out _)!.ToString());
    }

    [Theory]
    [InlineData("f90000", 0.0, true)]
    [InlineData("f98000", -0.0, true)]
    [InlineData("f93c00", 1.0, true)]
    [InlineData("fb3ff199999999999a", 1.1, true)]
    [InlineData("f93e00", 1.5, true)]
    [InlineData("f97bff", 65504.0, true)]
    [InlineData("fa47c35000", 100000.0, true)]
    [InlineData("fa7f7fffff", 3.4028234663852886e+38, true)]
    [InlineData("fb7e37e43c8800759c", 1.0e+300, true)]
    [InlineData("f90001", 5.960464477539063e-8, true)]
    [InlineData("f90400", 0.00006103515625, true)]
    [InlineData("f9c400", -4.0, true)]
    [InlineData("fbc010666666666666", -4.1, true)]
    [InlineData("f97c00", double.PositiveInfinity, true)]
    [InlineData("f9fc00", double.NegativeInfinity, true)]
    [InlineData("fa7f800000", double.PositiveInfinity, false)]
    [InlineData("faff800000", double.NegativeInfinity, false)]
    [InlineData("fb7ff0000000000000", double.PositiveInfinity, false)]
    [InlineData("fbfff0000000000000", double.NegativeInfinity, false)]
    public void Floats_of_every_width_read_exactly_and_write_in_the_shortest_exact_width(string hex, double value, bool preferred)
    {
        var reader = new CborReader(Hex(hex));
        Assert.True(reader.TryReadDouble(out double read));
        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.DoubleToInt64Bits(read));
        string written = ToHex(Write(new CFloat(value)));
        if (preferred)
        {
            Assert.Equal(hex, written);
        }
        else
        {
            Assert.Equal(3, written.Length / 2);
        }
    }

    [Theory]
    [InlineData("f97e00")]
    [InlineData("fa7fc00000")]
    [InlineData("fb7ff8000000000000")]
    public void NaN_reads_in_every_width_and_writes_as_the_canonical_half(string hex)
    {
        var reader = new CborReader(Hex(hex));
        Assert.True(reader.TryReadDouble(out double read));
        Assert.True(double.IsNaN(read));
        Assert.Equal("f97e00", ToHex(Write(new CFloat(read))));
        Assert.Equal("f97e00", ToHex(Write(new CFloat(double.NaN))));
    }

    [Fact]
    public void Compact_mode_keeps_a_NaN_payload_that_deterministic_mode_drops()
    {
        double payloadNaN = BitConverter.Int64BitsToDouble(0x7FF8000000000001);
        Assert.Equal("f97e00", ToHex(Write(new CFloat(payloadNaN), CborFloatMode.Deterministic)));
        string compact = ToHex(Write(new CFloat(payloadNaN), CborFloatMode.Compact));
        Assert.Equal("fb7ff8000000000001", compact);
    }

    [Theory]
    [InlineData("f4", "false")]
    [InlineData("f5", "true")]
    [InlineData("f6", "null")]
    [InlineData("f7", "undefined")]
    [InlineData("f0", "simple(16)")]
    [InlineData("f8ff", "simple(255)")]
    [InlineData("c074323031332d30332d32315432303a30343a30305a", "0(\"2013-03-21T20:04:00Z\")")]
    [InlineData("c11a514b67b0", "1(1363896240)")]
    [InlineData("c1fb41d452d9ec200000", "1(1363896240.5)")]
    [InlineData("d74401020304", "23(h'01020304')")]
    [InlineData("d818456449455446", "24(h'6449455446')")]
    [InlineData("d82076687474703a2f2f7777772e6578616d706c652e636f6d", "32(\"http://www.example.com\")")]
    [InlineData("40", "h''")]
    [InlineData("4401020304", "h'01020304'")]
    [InlineData("60", "\"\"")]
    [InlineData("6161", "\"a\"")]
    [InlineData("6449455446", "\"IETF\"")]
    [InlineData("62225c", "\"\"\\\"")]
    [InlineData("62c3bc", "\"ü\"")]
    [InlineData("63e6b0b4", "\"水\"")]
    [InlineData("64f0908591", "\"𐅑\"")]
    [InlineData("80", "[]")]
    [InlineData("83010203", "[1, 2, 3]")]
    [InlineData("8301820203820405", "[1, [2, 3], [4, 5]]")]
    [InlineData("98190102030405060708090a0b0c0d0e0f101112131415161718181819", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]")]
    [InlineData("a0", "{}")]
    [InlineData("a201020304", "{1: 2, 3: 4}")]
    [InlineData("a26161016162820203", "{\"a\": 1, \"b\": [2, 3]}")]
    [InlineData("826161a161626163", "[\"a\", {\"b\": \"c\"}]")]
    [InlineData("a56161614161626142616361436164614461656145", "{\"a\": \"A\", \"b\": \"B\", \"c\": \"C\", \"d\": \"D\", \"e\": \"E\"}")]
    public void Definite_examples_read_to_their_diagnostic_form_and_write_back_identically(string hex, string diagnostic)
    {
        CborItem? item = Read(Hex(hex), out CborError error);
        Assert.True(item is not null, error.ToString());
        Assert.Equal(diagnostic, item.ToString());
        Assert.Equal(hex, ToHex(Write(item)));
    }

    [Theory]
    [InlineData("5f42010243030405ff", "h'0102030405'")]
    [InlineData("7f657374726561646d696e67ff", "\"streaming\"")]
    [InlineData("9fff", "[]")]
    [InlineData("9f018202039f0405ffff", "[1, [2, 3], [4, 5]]")]
    [InlineData("9f01820203820405ff", "[1, [2, 3], [4, 5]]")]
    [InlineData("83018202039f0405ff", "[1, [2, 3], [4, 5]]")]
    [InlineData("83019f0203ff820405", "[1, [2, 3], [4, 5]]")]
    [InlineData("9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]")]
    [InlineData("bf61610161629f0203ffff", "{\"a\": 1, \"b\": [2, 3]}")]
    [InlineData("826161bf61626163ff", "[\"a\", {\"b\": \"c\"}]")]
    [InlineData("bf6346756ef563416d7421ff", "{\"Fun\": true, \"Amt\": -2}")]
    [InlineData("5fff", "h''")]
    [InlineData("7f6161ff", "\"a\"")]
    public void Indefinite_length_examples_read_like_their_definite_equivalents(string hex, string diagnostic)
    {
        CborItem? item = Read(Hex(hex), out CborError error);
        Assert.True(item is not null, error.ToString());
        Assert.Equal(diagnostic, item.ToString());
    }

    [Fact]
    public void Indefinite_containers_written_by_the_writer_read_back()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new CborWriter(buffer);
        writer.WriteStartIndefiniteMap();
        writer.WriteTextString("Fun");
        writer.WriteBoolean(true);
        writer.WriteTextString("Amt");
        writer.WriteInt64(-2);
        writer.WriteBreak();
        Assert.Equal("bf6346756ef563416d7421ff", ToHex(buffer.WrittenSpan));
    }
}
