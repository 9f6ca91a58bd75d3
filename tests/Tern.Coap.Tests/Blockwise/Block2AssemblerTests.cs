using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using static Tern.Coap.Tests.Blockwise.BlockwiseTestData;

namespace Tern.Coap.Tests.Blockwise;

public class Block2AssemblerTests
{
    private static CoapMessage BlockResponse(byte[] body, string block, byte[]? etag = null, uint? size2 = null)
    {
        BlockOption b = Parse(block);
        var response = new CoapMessage { Code = CoapCode.Content };
        response.Payload = body.AsMemory(b.Offset, Math.Min(b.Size, body.Length - b.Offset));
        response.SetBlock2(b).SetSize2(size2);
        if (etag is not null)
        {
            response.AddOption(new CoapOption(CoapOptionNumber.ETag, etag));
        }

        return response;
    }

    [Fact]
    public void Appends_the_blocks_of_rfc_7959_figure_2_and_asks_for_the_next_ones()
    {
        byte[] body = Body(300);
        var assembler = new Block2Assembler(maxBodySize: 4096);

        Assert.Equal(Block2AssemblyStatus.NeedMore, assembler.Append(BlockResponse(body, "0/1/128")));
        Assert.Equal("1/0/128", assembler.NextBlock.ToString());
        Assert.Equal(Block2AssemblyStatus.NeedMore, assembler.Append(BlockResponse(body, "1/1/128")));
        Assert.Equal("2/0/128", assembler.NextBlock.ToString());
        Assert.Equal(Block2AssemblyStatus.Complete, assembler.Append(BlockResponse(body, "2/0/128")));

        Assert.True(assembler.IsComplete);
        Assert.Equal(body, assembler.Body.ToArray());
    }

    [Fact]
    public void Client_preferring_smaller_blocks_asks_for_the_recomputed_number_as_in_figure_4()
    {
        byte[] body = Body(350);
        var assembler = new Block2Assembler(4096, preferredSizeExponent: 2);

        assembler.Append(BlockResponse(body, "0/1/128"));
        string afterFirst = assembler.NextBlock.ToString();
        foreach (string block in new[] { "2/1/64", "3/1/64", "4/1/64" })
        {
            Assert.Equal(Block2AssemblyStatus.NeedMore, assembler.Append(BlockResponse(body, block)));
        }

        Assert.Equal("2/0/64", afterFirst);
        Assert.Equal("5/0/64", assembler.NextBlock.ToString());
        Assert.Equal(Block2AssemblyStatus.Complete, assembler.Append(BlockResponse(body, "5/0/64")));
        Assert.Equal(body, assembler.Body.ToArray());
    }

    [Fact]
    public void Response_without_block2_is_complete_at_once()
    {
        var assembler = new Block2Assembler(4096);
        var response = new CoapMessage { Code = CoapCode.Content, Payload = Body(40) };

        Assert.Equal(Block2AssemblyStatus.Complete, assembler.Append(response));
        Assert.Equal(Body(40), assembler.Body.ToArray());
        Assert.Equal(Block2AssemblyStatus.Finished, assembler.Append(response));
    }

    [Fact]
    public void Changed_etag_mid_transfer_is_reported()
    {
        byte[] body = Body(300);
        var assembler = new Block2Assembler(4096);
        assembler.Append(BlockResponse(body, "0/1/128", etag: [1, 2, 3]));

        Assert.Equal(Block2AssemblyStatus.ETagMismatch, assembler.Append(BlockResponse(body, "1/1/128", etag: [1, 2, 4])));
        Assert.Equal(Block2AssemblyStatus.Finished, assembler.Append(BlockResponse(body, "2/0/128", etag: [1, 2, 3])));
        Assert.Equal(128, assembler.Length);
    }

    [Fact]
    public void Equal_etags_pass_and_a_vanished_etag_is_a_mismatch()
    {
        byte[] body = Body(300);
        var same = new Block2Assembler(4096);
        same.Append(BlockResponse(body, "0/1/128", etag: [9]));
        var vanished = new Block2Assembler(4096);
        vanished.Append(BlockResponse(body, "0/1/128", etag: [9]));

        Assert.Equal(Block2AssemblyStatus.NeedMore, same.Append(BlockResponse(body, "1/1/128", etag: [9])));
        Assert.Equal(Block2AssemblyStatus.ETagMismatch, vanished.Append(BlockResponse(body, "1/1/128")));
    }

    [Fact]
    public void Block_at_the_wrong_offset_is_refused_and_the_transfer_can_go_on()
    {
        byte[] body = Body(300);
        var assembler = new Block2Assembler(4096);
        assembler.Append(BlockResponse(body, "0/1/128"));

        Assert.Equal(Block2AssemblyStatus.UnexpectedBlock, assembler.Append(BlockResponse(body, "2/0/128")));
        Assert.Equal(Block2AssemblyStatus.UnexpectedBlock, assembler.Append(BlockResponse(body, "0/1/128")));
        Assert.Equal(Block2AssemblyStatus.NeedMore, assembler.Append(BlockResponse(body, "1/1/128")));
        Assert.Equal(Block2AssemblyStatus.Complete, assembler.Append(BlockResponse(body, "2/0/128")));
        Assert.Equal(body, assembler.Body.ToArray());
    }

    [Fact]
    public void Announced_size2_above_the_limit_is_too_large_before_anything_is_stored()
    {
        var assembler = new Block2Assembler(maxBodySize: 1000);

        Assert.Equal(Block2AssemblyStatus.TooLarge, assembler.Append(BlockResponse(Body(2000), "0/1/128", size2: 2000)));
        Assert.Equal(0, assembler.Capacity);
    }

    [Fact]
    public void Body_growing_past_the_limit_is_too_large_and_capacity_never_passes_it()
    {
        byte[] body = Body(2000);
        var assembler = new Block2Assembler(maxBodySize: 1000);
        Block2AssemblyStatus status = Block2AssemblyStatus.NeedMore;
        int peak = 0;
        for (int n = 0; status == Block2AssemblyStatus.NeedMore; n++)
        {
            status = assembler.Append(BlockResponse(body, $"{n}/1/64"));
            peak = Math.Max(peak, assembler.Capacity);
        }

        Assert.Equal(Block2AssemblyStatus.TooLarge, status);
        Assert.Equal(960, assembler.Length);
        Assert.Equal(1000, peak);
    }

    [Theory]
    [InlineData("0/1/128", 100)]
    [InlineData("0/0/64", 65)]
    public void Payload_not_matching_the_block_size_is_malformed(string block, int length)
    {
        var assembler = new Block2Assembler(4096);
        var response = new CoapMessage { Code = CoapCode.Content, Payload = Body(length) };
        response.SetBlock2(Parse(block));

        Assert.Equal(Block2AssemblyStatus.Malformed, assembler.Append(response));
    }

    [Fact]
    public void Reserved_size_exponent_in_the_response_is_malformed()
    {
        var assembler = new Block2Assembler(4096);
        var response = new CoapMessage { Code = CoapCode.Content, Payload = Body(16) };
        response.AddOption(new CoapOption(CoapOptionNumber.Block2, new byte[] { 0x0F }));

        Assert.Equal(Block2AssemblyStatus.Malformed, assembler.Append(response));
    }
}
