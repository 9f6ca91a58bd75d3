using Tern.Coap.Blockwise;
using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Blockwise;

public class BlockOptionTests
{
    [Theory]
    // RFC 7959 §2.2: value = NUM << 4 | M << 3 | SZX, shortest big-endian form.
    [InlineData(0u, false, 0, "")]
    [InlineData(0u, true, 3, "0B")]
    [InlineData(2u, false, 3, "23")]
    [InlineData(1u, true, 6, "1E")]
    [InlineData(15u, true, 6, "FE")]
    [InlineData(16u, false, 2, "0102")]
    [InlineData(4095u, true, 0, "FFF8")]
    [InlineData(4096u, false, 6, "010006")]
    [InlineData(0xFFFFFu, true, 6, "FFFFFE")]
    public void Encodes_to_the_shortest_unsigned_integer(uint num, bool more, int szx, string hex)
    {
        var block = new BlockOption(num, more, szx);
        Span<byte> buffer = stackalloc byte[3];

        int written = block.Encode(buffer);

        Assert.Equal(hex, Convert.ToHexString(buffer[..written]));
        Assert.Equal(hex, Convert.ToHexString(block.ToOption(CoapOptionNumber.Block2).Value.Span));
    }

    [Theory]
    [InlineData("", 0u, false, 16, 0)]
    [InlineData("0B", 0u, true, 128, 0)]
    [InlineData("23", 2u, false, 128, 256)]
    [InlineData("56", 5u, false, 1024, 5120)]
    [InlineData("0102", 16u, false, 64, 1024)]
    [InlineData("FFFFFE", 0xFFFFFu, true, 1024, 1073740800)]
    public void Decodes_number_more_flag_size_and_offset(string hex, uint num, bool more, int size, int offset)
    {
        BlockOptionError error = BlockOption.TryDecode(Convert.FromHexString(hex), out BlockOption block);

        Assert.Equal(BlockOptionError.None, error);
        Assert.Equal(num, block.Num);
        Assert.Equal(more, block.More);
        Assert.Equal(size, block.Size);
        Assert.Equal(offset, block.Offset);
    }

    [Theory]
    [InlineData("07")]
    [InlineData("0F")]
    [InlineData("FFFFFF")]
    public void Size_exponent_seven_is_a_typed_reserved_error(string hex)
    {
        BlockOptionError error = BlockOption.TryDecode(Convert.FromHexString(hex), out _);

        Assert.Equal(BlockOptionError.ReservedSizeExponent, error);
        Assert.Equal(CoapCode.BadRequest, error.ToResponseCode());
    }

    [Fact]
    public void Four_byte_value_is_a_typed_length_error_answered_with_bad_option()
    {
        BlockOptionError error = BlockOption.TryDecode([0x00, 0x00, 0x00, 0x13], out _);

        Assert.Equal(BlockOptionError.ValueTooLong, error);
        Assert.Equal(CoapCode.BadOption, error.ToResponseCode());
    }

    [Fact]
    public void Every_three_byte_value_decodes_without_throwing_and_re_encodes_identically_unless_szx_is_seven()
    {
        Span<byte> bytes = stackalloc byte[3];
        Span<byte> encoded = stackalloc byte[3];
        for (uint value = 0; value <= 0xFFFFFF; value += 97)
        {
            bytes[0] = (byte)(value >> 16);
            bytes[1] = (byte)(value >> 8);
            bytes[2] = (byte)value;
            BlockOptionError error = BlockOption.TryDecode(bytes, out BlockOption block);
            if ((value & 7) == 7)
            {
                Assert.Equal(BlockOptionError.ReservedSizeExponent, error);
                continue;
            }

            Assert.Equal(BlockOptionError.None, error);
            Assert.Equal(value, block.ToUInt());
            int written = block.Encode(encoded);
            uint back = 0;
            foreach (byte b in encoded[..written])
            {
                back = (back << 8) | b;
            }

            Assert.Equal(value, back);
        }
    }

    [Fact]
    public void Constructor_rejects_numbers_beyond_twenty_bits_and_reserved_exponent()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlockOption(0x100000, false, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlockOption(0, false, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BlockOption(0, false, -1));
    }

    [Fact]
    public void At_offset_recomputes_the_number_for_a_smaller_size()
    {
        // RFC 7959 Figure 8: 128 bytes sent as block 0 of 128, continued with 32-byte blocks from block 4.
        BlockOption next = BlockOption.AtOffset(128, true, 1);

        Assert.Equal("4/1/32", next.ToString());
        Assert.Throws<ArgumentException>(() => BlockOption.AtOffset(48, true, 1));
    }

    [Theory]
    [InlineData(15, -1)]
    [InlineData(16, 0)]
    [InlineData(100, 2)]
    [InlineData(1024, 6)]
    [InlineData(1152, 6)]
    public void Largest_exponent_not_above_a_byte_budget(int bytes, int expected) =>
        Assert.Equal(expected, BlockOption.LargestExponentNotAbove(bytes));

    [Fact]
    public void Message_helpers_write_and_read_both_block_options_and_sizes()
    {
        var message = new CoapMessage { Code = CoapCode.Put };
        message.SetBlock1(new BlockOption(3, true, 2)).SetBlock2(new BlockOption(0, false, 6)).SetSize1(1500).SetSize2(0);

        Assert.Equal(BlockOptionError.None, message.TryGetBlock1(out BlockOption? block1));
        Assert.Equal(BlockOptionError.None, message.TryGetBlock2(out BlockOption? block2));
        Assert.Equal("3/1/64", block1.ToString());
        Assert.Equal("0/0/1024", block2.ToString());
        Assert.Equal(1500u, message.GetSize1());
        Assert.Equal(0u, message.GetSize2());
        Assert.Equal([CoapOptionNumber.Block2, CoapOptionNumber.Block1, CoapOptionNumber.Size2, CoapOptionNumber.Size1],
            message.Options.Select(o => o.Number));

        message.SetBlock1(null);
        Assert.Equal(BlockOptionError.None, message.TryGetBlock1(out BlockOption? absent));
        Assert.Null(absent);
    }

    [Fact]
    public void Repeated_block_option_is_a_typed_error()
    {
        var message = new CoapMessage { Code = CoapCode.Get };
        message.AddOption(new BlockOption(1, false, 2).ToOption(CoapOptionNumber.Block2));
        message.AddOption(new BlockOption(2, false, 2).ToOption(CoapOptionNumber.Block2));

        Assert.Equal(BlockOptionError.Repeated, message.TryGetBlock2(out BlockOption? block));
        Assert.Null(block);
    }
}
