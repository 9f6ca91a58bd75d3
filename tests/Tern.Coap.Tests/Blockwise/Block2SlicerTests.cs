using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using static Tern.Coap.Tests.Blockwise.BlockwiseTestData;

namespace Tern.Coap.Tests.Blockwise;

public class Block2SlicerTests
{
    /*  RFC 7959 Figure 2, simple block-wise GET (server block size 128):
        CON GET /status           ->  2.05 Content 2:0/1/128
        CON GET /status 2:1/0/128 ->  2.05 Content 2:1/1/128
        CON GET /status 2:2/0/128 ->  2.05 Content 2:2/0/128                    */
    [Fact]
    public void Simple_block_wise_get_serves_three_blocks_as_in_rfc_7959_figure_2()
    {
        byte[] body = Body(300);

        Block2Slice first = Block2Slicer.Slice(body, null, preferredSizeExponent: 3);
        Block2Slice second = Block2Slicer.Slice(body, Parse("1/0/128"), 3);
        Block2Slice third = Block2Slicer.Slice(body, Parse("2/0/128"), 3);

        Assert.Equal(["0/1/128", "1/1/128", "2/0/128"], new[] { first, second, third }.Select(s => s.Block.ToString()));
        Assert.Equal([128, 128, 44], new[] { first, second, third }.Select(s => s.Payload.Length));
        Assert.Equal(body, first.Payload.ToArray().Concat(second.Payload.ToArray()).Concat(third.Payload.ToArray()));
    }

    /*  RFC 7959 Figure 3, early negotiation (client asks for 64-byte blocks):
        CON GET /status 2:0/0/64  ->  2.05 Content 2:0/1/64
        ...
        CON GET /status 2:4/0/64  ->  2.05 Content 2:4/1/64
        CON GET /status 2:5/0/64  ->  2.05 Content 2:5/0/64                      */
    [Fact]
    public void Early_negotiation_uses_the_client_size_as_in_figure_3()
    {
        byte[] body = Body(350);

        string[] blocks = [.. Enumerable.Range(0, 6).Select(n => Block2Slicer.Slice(body, new BlockOption((uint)n, false, 2), 6).Block.ToString()!)];

        Assert.Equal(["0/1/64", "1/1/64", "2/1/64", "3/1/64", "4/1/64", "5/0/64"], blocks);
    }

    /*  RFC 7959 Figure 4, late negotiation:
        CON GET /status           ->  2.05 Content 2:0/1/128
        CON GET /status 2:2/0/64  ->  2.05 Content 2:2/1/64
        CON GET /status 2:3/0/64  ->  2.05 Content 2:3/1/64
        CON GET /status 2:4/0/64  ->  2.05 Content 2:4/1/64
        CON GET /status 2:5/0/64  ->  2.05 Content 2:5/0/64                      */
    [Fact]
    public void Late_negotiation_continues_at_the_smaller_size_as_in_figure_4()
    {
        byte[] body = Body(350);

        string[] blocks =
        [
            Block2Slicer.Slice(body, null, 3).Block.ToString()!,
            .. new[] { "2/0/64", "3/0/64", "4/0/64", "5/0/64" }.Select(r => Block2Slicer.Slice(body, Parse(r), 3).Block.ToString()!),
        ];

        Assert.Equal(["0/1/128", "2/1/64", "3/1/64", "4/1/64", "5/0/64"], blocks);
        Assert.Equal(body.AsSpan(128, 64).ToArray(), Block2Slicer.Slice(body, Parse("2/0/64"), 3).Payload.ToArray());
    }

    [Fact]
    public void Request_for_a_size_above_the_preferred_one_is_served_at_the_preferred_size_from_the_same_offset()
    {
        byte[] body = Body(3000);

        Block2Slice slice = Block2Slicer.Slice(body, Parse("1/0/1024"), preferredSizeExponent: 4);

        Assert.Equal("4/1/256", slice.Block.ToString());
        Assert.Equal(body.AsSpan(1024, 256).ToArray(), slice.Payload.ToArray());
    }

    [Theory]
    [InlineData(300, "3/0/128")]
    [InlineData(256, "2/0/128")]
    [InlineData(0, "1/0/16")]
    [InlineData(5000, "1048575/0/1024")]
    public void Block_starting_at_or_past_the_end_is_answered_with_4_02_bad_option(int length, string requested)
    {
        var response = new CoapMessage { Code = CoapCode.Content, Payload = new byte[] { 1 } };
        Block2Slice slice = Block2Slicer.Slice(Body(length), Parse(requested), 6);

        slice.ApplyTo(response);

        Assert.Equal(Block2SliceStatus.BeyondEnd, slice.Status);
        Assert.Equal(CoapCode.BadOption, response.Code);
        Assert.True(response.Payload.IsEmpty);
        Assert.False(response.HasOption(CoapOptionNumber.Block2));
    }

    [Fact]
    public void Last_partial_block_is_not_past_the_end()
    {
        Block2Slice slice = Block2Slicer.Slice(Body(257), Parse("2/0/128"), 6);

        Assert.Equal((Block2SliceStatus.Block, "2/0/128", 1), (slice.Status, slice.Block.ToString(), slice.Payload.Length));
    }

    [Fact]
    public void Body_that_fits_is_sent_whole_without_block2_unless_the_client_asked_for_blocks()
    {
        byte[] body = Body(100);

        Block2Slice plain = Block2Slicer.Slice(body, null, 3);
        Block2Slice asked = Block2Slicer.Slice(body, Parse("0/0/128"), 3);
        Block2Slice empty = Block2Slicer.Slice(ReadOnlyMemory<byte>.Empty, Parse("0/0/128"), 3);

        Assert.Equal((Block2SliceStatus.Whole, 100, (BlockOption?)null), (plain.Status, plain.Payload.Length, plain.Block));
        Assert.Equal((Block2SliceStatus.Block, "0/0/128"), (asked.Status, asked.Block.ToString()));
        Assert.Equal((Block2SliceStatus.Block, "0/0/128", 0), (empty.Status, empty.Block.ToString(), empty.Payload.Length));
    }

    /*  RFC 7959 §4, Size2 on request: the client sends Size2 = 0 with its first GET and the
        first block comes back with Size2 = the representation's length.                       */
    [Fact]
    public void Size2_request_is_answered_with_the_total_length_on_the_first_block()
    {
        byte[] body = Body(1283);
        var response = new CoapMessage { Code = CoapCode.Content };

        Block2Slice slice = Block2Slicer.Slice(body, Parse("0/0/64"), 6, size2Requested: true);
        slice.ApplyTo(response);

        Assert.Equal(1283u, response.GetSize2());
        Assert.Equal(BlockOptionError.None, response.TryGetBlock2(out BlockOption? block));
        Assert.Equal("0/1/64", block.ToString());
        Assert.Null(Block2Slicer.Slice(body, Parse("1/0/64"), 6).Size2);
    }
}
