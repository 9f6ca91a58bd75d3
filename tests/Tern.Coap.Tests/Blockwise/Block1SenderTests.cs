using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using static Tern.Coap.Tests.Blockwise.BlockwiseTestData;

namespace Tern.Coap.Tests.Blockwise;

public class Block1SenderTests
{
    private static CoapMessage Reply(CoapCode code, string? block1 = null, uint? size1 = null)
    {
        var response = new CoapMessage { Code = code };
        response.SetBlock1(block1 is null ? null : Parse(block1)).SetSize1(size1);
        return response;
    }

    private static (string Block, int Length, uint? Size1) Sent(Block1Sender sender)
    {
        var request = Request(CoapCode.Put, "/options");
        sender.ApplyTo(request);
        request.TryGetBlock1(out BlockOption? block);
        return (block?.ToString() ?? "none", request.Payload.Length, request.GetSize1());
    }

    [Fact]
    public void Sends_the_blocks_of_rfc_7959_figure_7()
    {
        var sender = new Block1Sender(Body(300), sizeExponent: 3);

        var first = Sent(sender);
        Assert.Equal(Block1SendStatus.SendNext, sender.OnResponse(Reply(CoapCode.Continue, "0/1/128")));
        var second = Sent(sender);
        Assert.Equal(Block1SendStatus.SendNext, sender.OnResponse(Reply(CoapCode.Continue, "1/1/128")));
        var third = Sent(sender);
        Assert.Equal(Block1SendStatus.Completed, sender.OnResponse(Reply(CoapCode.Changed, "2/0/128")));

        Assert.Equal(("0/1/128", 128, (uint?)300), first);
        Assert.Equal(("1/1/128", 128, (uint?)null), second);
        Assert.Equal(("2/0/128", 44, (uint?)null), third);
        Assert.True(sender.IsDone);
    }

    [Fact]
    public void Adopts_the_smaller_size_the_server_answers_with_as_in_figure_8()
    {
        var sender = new Block1Sender(Body(210), sizeExponent: 3);
        var sent = new List<string> { Sent(sender).Block };

        Assert.Equal(Block1SendStatus.SendNext, sender.OnResponse(Reply(CoapCode.Continue, "0/1/32")));
        sent.Add(Sent(sender).Block);
        sender.OnResponse(Reply(CoapCode.Continue, "4/1/32"));
        sent.Add(Sent(sender).Block);
        sender.OnResponse(Reply(CoapCode.Continue, "5/1/32"));
        sent.Add(Sent(sender).Block);

        Assert.Equal(["0/1/128", "4/1/32", "5/1/32", "6/0/32"], sent);
        Assert.Equal(Block1SendStatus.Completed, sender.OnResponse(Reply(CoapCode.Changed, "6/0/32")));
    }

    [Fact]
    public void Small_body_goes_out_in_one_plain_request()
    {
        var sender = new Block1Sender(Body(100), sizeExponent: 3);

        Assert.Equal(("none", 100, (uint?)null), Sent(sender));
        Assert.False(sender.IsBlockwise);
        Assert.Equal(Block1SendStatus.Completed, sender.OnResponse(Reply(CoapCode.Changed)));
    }

    [Fact]
    public void A_4_13_with_a_smaller_block1_restarts_from_block_zero_at_that_size()
    {
        var sender = new Block1Sender(Body(3000), sizeExponent: 6);
        Sent(sender);

        Assert.Equal(Block1SendStatus.Restarted, sender.OnResponse(Reply(CoapCode.RequestEntityTooLarge, "0/0/256")));
        Assert.Equal(("0/1/256", 256, (uint?)3000), Sent(sender));
    }

    [Fact]
    public void A_4_13_whose_size1_is_below_the_body_fails_and_reports_the_limit()
    {
        var sender = new Block1Sender(Body(3000), sizeExponent: 6);
        Sent(sender);

        Assert.Equal(Block1SendStatus.Failed, sender.OnResponse(Reply(CoapCode.RequestEntityTooLarge, size1: 2048)));
        Assert.Equal(2048u, sender.ServerSizeLimit);
        Assert.Equal(CoapCode.RequestEntityTooLarge, sender.FailureCode);
        Assert.True(sender.IsDone);
    }

    [Fact]
    public void A_4_13_to_a_plain_request_switches_to_blocks_smaller_than_the_body()
    {
        var sender = new Block1Sender(Body(600), sizeExponent: 6);
        Assert.Equal("none", Sent(sender).Block);

        Assert.Equal(Block1SendStatus.Restarted, sender.OnResponse(Reply(CoapCode.RequestEntityTooLarge)));
        Assert.Equal(("0/1/512", 512, (uint?)600), Sent(sender));
    }

    [Fact]
    public void A_4_08_or_a_continue_to_the_last_block_fails_the_transfer()
    {
        var incomplete = new Block1Sender(Body(300), 3);
        Sent(incomplete);
        var confused = new Block1Sender(Body(100), 3);
        Sent(confused);

        Assert.Equal(Block1SendStatus.Failed, incomplete.OnResponse(Reply(CoapCode.RequestEntityIncomplete)));
        Assert.Equal(CoapCode.RequestEntityIncomplete, incomplete.FailureCode);
        Assert.Equal(Block1SendStatus.Failed, confused.OnResponse(Reply(CoapCode.Continue, "0/0/128")));
        Assert.Throws<InvalidOperationException>(() => confused.OnResponse(Reply(CoapCode.Changed)));
    }
}
