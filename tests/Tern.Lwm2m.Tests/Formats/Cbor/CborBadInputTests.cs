using Tern.Lwm2m.Formats.Cbor;
using static Tern.Lwm2m.Tests.Formats.Cbor.CborTree;

namespace Tern.Lwm2m.Tests.Formats.Cbor;

public class CborBadInputTests
{
    [Theory]
    [InlineData("", CborErrorKind.Truncated, 0)]
    [InlineData("18", CborErrorKind.Truncated, 0)]
    [InlineData("1903", CborErrorKind.Truncated, 0)]
    [InlineData("1b00000000", CborErrorKind.Truncated, 0)]
    [InlineData("f9", CborErrorKind.Truncated, 0)]
    [InlineData("fa0000", CborErrorKind.Truncated, 0)]
    [InlineData("fb00000000000000", CborErrorKind.Truncated, 0)]
    [InlineData("f8", CborErrorKind.Truncated, 0)]
    [InlineData("440102", CborErrorKind.Truncated, 0)]
    [InlineData("62c3", CborErrorKind.Truncated, 0)]
    [InlineData("830102", CborErrorKind.Truncated, 0)]
    [InlineData("a20102", CborErrorKind.Truncated, 0)]
    [InlineData("9f0102", CborErrorKind.Truncated, 3)]
    [InlineData("5f4101", CborErrorKind.Truncated, 3)]
    [InlineData("c1", CborErrorKind.Truncated, 1)]
    public void Input_that_ends_early_is_truncated_at_the_right_offset(string hex, CborErrorKind kind, int offset)
    {
        Assert.Null(Read(Hex(hex), out CborError error));
        Assert.Equal(kind, error.Kind);
        Assert.Equal(offset, error.Offset);
    }

    [Theory]
    [InlineData("ff", 0)]            // break at top level
    [InlineData("81ff", 1)]          // break inside a definite array
    [InlineData("1c", 0)]            // reserved additional information 28
    [InlineData("5d", 0)]            // 29
    [InlineData("fe", 0)]            // 30
    [InlineData("1f", 0)]            // indefinite unsigned integer
    [InlineData("3f", 0)]            // indefinite negative integer
    [InlineData("df", 0)]            // indefinite tag
    [InlineData("f818", 0)]          // two-byte simple value below 32
    [InlineData("5f6161ff", 1)]      // text chunk in a byte string
    [InlineData("7f4161ff", 1)]      // byte chunk in a text string
    [InlineData("5f5f4101ffff", 1)]  // nested indefinite chunk
    [InlineData("5f01ff", 1)]        // integer chunk
    [InlineData("bf01ff", 2)]        // map ends after a key
    [InlineData("c1ff", 1)]          // tag followed by break
    public void Ill_formed_input_is_malformed(string hex, int offset)
    {
        Assert.Null(Read(Hex(hex), out CborError error));
        Assert.Equal(CborErrorKind.Malformed, error.Kind);
        Assert.Equal(offset, error.Offset);
    }

    [Theory]
    [InlineData("62c328")]     // bad continuation byte
    [InlineData("61ff")]       // 0xff is never UTF-8
    [InlineData("63eda080")]   // a UTF-16 surrogate encoded in UTF-8
    [InlineData("7f61c361bcff")] // a code point split across chunks
    public void Text_that_is_not_UTF8_is_rejected(string hex)
    {
        Assert.Null(Read(Hex(hex), out CborError error));
        Assert.Equal(CborErrorKind.InvalidUtf8, error.Kind);
    }

    [Fact]
    public void Depth_bomb_of_ten_thousand_nested_arrays_stops_at_the_limit()
    {
        byte[] bomb = Enumerable.Repeat((byte)0x81, 10000).Append((byte)0x00).ToArray();
        Assert.Null(Read(bomb, out CborError error));
        Assert.Equal(CborErrorKind.NestingTooDeep, error.Kind);
        Assert.Equal(CborReader.DefaultMaxDepth, error.Offset);

        var skipper = new CborReader(bomb);
        Assert.False(skipper.TrySkipValue());
        Assert.Equal(CborErrorKind.NestingTooDeep, skipper.Error.Kind);
    }

    [Fact]
    public void Nesting_exactly_at_the_configured_limit_is_accepted()
    {
        byte[] data = Enumerable.Repeat((byte)0x81, 4).Append((byte)0x00).ToArray();
        Assert.NotNull(Read(data, out _, maxDepth: 4));
        Assert.Null(Read(data, out CborError error, maxDepth: 3));
        Assert.Equal(CborErrorKind.NestingTooDeep, error.Kind);
    }

    [Fact]
    public void Ten_thousand_tags_are_skipped_without_recursion()
    {
        byte[] data = Enumerable.Repeat((byte)0xC1, 10000).Append((byte)0x00).ToArray();
        var reader = new CborReader(data);
        Assert.True(reader.TrySkipValue());
        Assert.Equal(CborReaderState.Finished, reader.PeekState());
    }

    [Theory]
    [InlineData("5bffffffffffffffff", CborErrorKind.TooLarge)]
    [InlineData("7bffffffffffffffff", CborErrorKind.TooLarge)]
    [InlineData("5b7fffffff00000000", CborErrorKind.TooLarge)]
    [InlineData("5a7fffffff", CborErrorKind.Truncated)]
    [InlineData("9bffffffffffffffff", CborErrorKind.TooLarge)]
    [InlineData("bb1000000000000000", CborErrorKind.TooLarge)]
    [InlineData("9a0000ffff00", CborErrorKind.Truncated)]
    [InlineData("5f5bffffffffffffffffff", CborErrorKind.TooLarge)]
    public void Length_bombs_fail_before_allocating(string hex, CborErrorKind kind)
    {
        byte[] data = Hex(hex);
        // One pass first, so the first call's one-time costs (JIT, static setup) are not counted
        // when this case runs alone; a bomb that allocates does so on every pass.
        new CborReader(data).TrySkipValue();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var reader = new CborReader(data);
        bool ok = reader.TrySkipValue();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.False(ok);
        Assert.Equal(kind, reader.Error.Kind);
        Assert.True(allocated < 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Asking_for_the_wrong_type_is_an_unexpected_type_error_that_consumes_nothing()
    {
        var reader = new CborReader(Hex("6161"));
        Assert.False(reader.TryReadInt64(out _));
        Assert.Equal(CborErrorKind.UnexpectedType, reader.Error.Kind);
        Assert.Equal(0, reader.Offset);
    }

    [Fact]
    public void Trailing_bytes_after_the_top_level_item_are_left_for_the_caller()
    {
        var reader = new CborReader(Hex("0102"));
        Assert.True(reader.TryReadUInt64(out _));
        Assert.Equal(CborReaderState.Finished, reader.PeekState());
        Assert.Equal(1, reader.BytesRemaining);
    }
}
