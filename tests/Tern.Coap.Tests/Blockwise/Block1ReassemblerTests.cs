using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using static Tern.Coap.Tests.Blockwise.BlockwiseTestData;

namespace Tern.Coap.Tests.Blockwise;

public class Block1ReassemblerTests
{
    private static Block1Reassembler Create(VirtualTimeProvider clock, int maxBody = 4096, int maxTransfers = 8, int preferredSzx = 6) =>
        new(clock, new BlockwiseLimits { MaxBodySize = maxBody, MaxTransfers = maxTransfers, PreferredSizeExponent = preferredSzx });

    /*  RFC 7959 Figure 7, simple atomic block-wise PUT:
        CON PUT /options 1:0/1/128  ->  2.31 Continue 1:0/1/128
        CON PUT /options 1:1/1/128  ->  2.31 Continue 1:1/1/128
        CON PUT /options 1:2/0/128  ->  2.04 Changed  1:2/0/128                 */
    [Fact]
    public void Simple_atomic_put_answers_continue_and_completes_as_in_rfc_7959_figure_7()
    {
        var reassembler = Create(new VirtualTimeProvider());
        byte[] body = Body(300);

        Block1Outcome first = reassembler.Accept(Client, Block1Put("/options", body, Parse("0/1/128"), token: 1), Parse("0/1/128"));
        Block1Outcome second = reassembler.Accept(Client, Block1Put("/options", body, Parse("1/1/128"), token: 2), Parse("1/1/128"));
        Block1Outcome last = reassembler.Accept(Client, Block1Put("/options", body, Parse("2/0/128"), token: 3), Parse("2/0/128"));

        Assert.Equal((Block1OutcomeKind.Continue, CoapCode.Continue, "0/1/128"), (first.Kind, first.ResponseCode, first.ResponseBlock.ToString()));
        Assert.Equal((Block1OutcomeKind.Continue, CoapCode.Continue, "1/1/128"), (second.Kind, second.ResponseCode, second.ResponseBlock.ToString()));
        Assert.Equal((Block1OutcomeKind.Complete, (CoapCode?)null, "2/0/128"), (last.Kind, last.ResponseCode, last.ResponseBlock.ToString()));
        Assert.Equal(body, last.Body.ToArray());
        Assert.Equal(0, reassembler.Count);
    }

    /*  RFC 7959 Figure 8, atomic PUT with negotiation (server prefers 32 bytes):
        CON PUT /options 1:0/1/128  ->  2.31 Continue 1:0/1/32
        CON PUT /options 1:4/1/32   ->  2.31 Continue 1:4/1/32
        CON PUT /options 1:5/1/32   ->  2.31 Continue 1:5/1/32
        CON PUT /options 1:6/0/32   ->  2.04 Changed  1:6/0/32                  */
    [Fact]
    public void Server_preferring_smaller_blocks_continues_from_the_recomputed_number_as_in_figure_8()
    {
        var reassembler = Create(new VirtualTimeProvider(), preferredSzx: 1);
        byte[] body = Body(210);
        string[] sent = ["0/1/128", "4/1/32", "5/1/32", "6/0/32"];

        Block1Outcome[] outcomes = [.. sent.Select(s => reassembler.Accept(Client, Block1Put("/options", body, Parse(s)), Parse(s)))];

        Assert.Equal(["0/1/32", "4/1/32", "5/1/32", "6/0/32"], outcomes.Select(o => o.ResponseBlock.ToString()));
        Assert.Equal([Block1OutcomeKind.Continue, Block1OutcomeKind.Continue, Block1OutcomeKind.Continue, Block1OutcomeKind.Complete], outcomes.Select(o => o.Kind));
        Assert.Equal(body, outcomes[^1].Body.ToArray());
    }

    [Fact]
    public void Block_for_no_known_transfer_gets_4_08()
    {
        var reassembler = Create(new VirtualTimeProvider());
        byte[] body = Body(300);

        Block1Outcome outcome = reassembler.Accept(Client, Block1Put("/x", body, Parse("1/1/128")), Parse("1/1/128"));

        Assert.Equal(Block1OutcomeKind.Incomplete, outcome.Kind);
        Assert.Equal(CoapCode.RequestEntityIncomplete, outcome.ResponseCode);
        Assert.Equal(0, reassembler.Count);
    }

    [Fact]
    public void Skipped_block_gets_4_08_and_the_transfer_can_still_go_on_in_order()
    {
        var reassembler = Create(new VirtualTimeProvider());
        byte[] body = Body(400);
        reassembler.Accept(Client, Block1Put("/x", body, Parse("0/1/128")), Parse("0/1/128"));

        Block1Outcome skipped = reassembler.Accept(Client, Block1Put("/x", body, Parse("2/1/128")), Parse("2/1/128"));
        Block1Outcome finalTooEarly = reassembler.Accept(Client, Block1Put("/x", body, Parse("3/0/128")), Parse("3/0/128"));
        reassembler.Accept(Client, Block1Put("/x", body, Parse("1/1/128")), Parse("1/1/128"));
        reassembler.Accept(Client, Block1Put("/x", body, Parse("2/1/128")), Parse("2/1/128"));
        Block1Outcome done = reassembler.Accept(Client, Block1Put("/x", body, Parse("3/0/128")), Parse("3/0/128"));

        Assert.Equal(CoapCode.RequestEntityIncomplete, skipped.ResponseCode);
        Assert.Equal(CoapCode.RequestEntityIncomplete, finalTooEarly.ResponseCode);
        Assert.Equal(Block1OutcomeKind.Complete, done.Kind);
        Assert.Equal(body, done.Body.ToArray());
    }

    [Fact]
    public void Repeated_block_after_a_lost_continue_is_acknowledged_again_without_duplicating_bytes()
    {
        var reassembler = Create(new VirtualTimeProvider());
        byte[] body = Body(300);
        reassembler.Accept(Client, Block1Put("/x", body, Parse("0/1/128")), Parse("0/1/128"));
        reassembler.Accept(Client, Block1Put("/x", body, Parse("1/1/128")), Parse("1/1/128"));

        Block1Outcome again = reassembler.Accept(Client, Block1Put("/x", body, Parse("1/1/128"), token: 9), Parse("1/1/128"));
        Block1Outcome done = reassembler.Accept(Client, Block1Put("/x", body, Parse("2/0/128")), Parse("2/0/128"));

        Assert.Equal((Block1OutcomeKind.Continue, "1/1/128"), (again.Kind, again.ResponseBlock.ToString()));
        Assert.Equal(body, done.Body.ToArray());
    }

    [Fact]
    public void Announced_size1_above_the_limit_gets_4_13_with_the_limit_in_size1()
    {
        var reassembler = Create(new VirtualTimeProvider(), maxBody: 1000);
        byte[] body = Body(2000);
        CoapMessage request = Block1Put("/fw", body, Parse("0/1/128")).SetSize1(2000);

        Block1Outcome outcome = reassembler.Accept(Client, request, Parse("0/1/128"));
        var response = new CoapMessage();
        outcome.ApplyTo(response);

        Assert.Equal(Block1OutcomeKind.TooLarge, outcome.Kind);
        Assert.Equal(CoapCode.RequestEntityTooLarge, response.Code);
        Assert.Equal(1000u, response.GetSize1());
        Assert.Equal(0, reassembler.Count);
    }

    [Fact]
    public void Block_that_would_pass_the_limit_gets_4_13_and_frees_the_transfer()
    {
        var reassembler = Create(new VirtualTimeProvider(), maxBody: 300);
        byte[] body = Body(1000);
        for (uint n = 0; n < 2; n++)
        {
            Assert.Equal(Block1OutcomeKind.Continue, reassembler.Accept(Client, Block1Put("/fw", body, new BlockOption(n, true, 3)), new BlockOption(n, true, 3)).Kind);
        }

        Block1Outcome third = reassembler.Accept(Client, Block1Put("/fw", body, Parse("2/1/128")), Parse("2/1/128"));

        Assert.Equal(Block1OutcomeKind.TooLarge, third.Kind);
        Assert.Equal(300u, third.Size1);
        Assert.Equal(0, reassembler.Count);
        Assert.Equal(0, reassembler.BufferedBytes);
    }

    [Fact]
    public void Body_exactly_at_the_limit_is_accepted()
    {
        var reassembler = Create(new VirtualTimeProvider(), maxBody: 256);
        byte[] body = Body(256);
        reassembler.Accept(Client, Block1Put("/fw", body, Parse("0/1/128")), Parse("0/1/128"));

        Block1Outcome done = reassembler.Accept(Client, Block1Put("/fw", body, Parse("1/0/128")), Parse("1/0/128"));

        Assert.Equal(Block1OutcomeKind.Complete, done.Kind);
        Assert.Equal(body, done.Body.ToArray());
    }

    [Theory]
    [InlineData("0/1/128", 100)]
    [InlineData("0/0/128", 129)]
    [InlineData("0/1/16", 0)]
    public void Payload_that_does_not_match_the_block_size_gets_4_00(string block, int payloadLength)
    {
        var reassembler = Create(new VirtualTimeProvider());
        CoapMessage request = Request(CoapCode.Put, "/x");
        request.Payload = Body(payloadLength);

        Block1Outcome outcome = reassembler.Accept(Client, request, Parse(block));

        Assert.Equal((Block1OutcomeKind.BadRequest, CoapCode.BadRequest), (outcome.Kind, outcome.ResponseCode));
    }

    [Fact]
    public void Single_final_block_completes_at_once_without_keeping_state()
    {
        var reassembler = Create(new VirtualTimeProvider());
        byte[] body = Body(50);

        Block1Outcome outcome = reassembler.Accept(Client, Block1Put("/x", body, Parse("0/0/64")), Parse("0/0/64"));

        Assert.Equal(Block1OutcomeKind.Complete, outcome.Kind);
        Assert.Equal(body, outcome.Body.ToArray());
        Assert.Equal(0, reassembler.Count);
    }

    [Fact]
    public void Tokens_do_not_split_a_transfer_but_peers_paths_and_methods_do()
    {
        CoapMessage a = Request(CoapCode.Put, "/a", token: 1);
        CoapMessage aOtherToken = Request(CoapCode.Put, "/a", token: 2).SetSize1(5);
        CoapMessage aPost = Request(CoapCode.Post, "/a");
        CoapMessage b = Request(CoapCode.Put, "/b");
        CoapMessage aQuery = Request(CoapCode.Put, "/a").AddOption(CoapOption.FromString(CoapOptionNumber.UriQuery, "x=1"));

        BlockwiseKey key = BlockwiseKey.FromRequest(Client, a);

        Assert.Equal(key, BlockwiseKey.FromRequest(Client, aOtherToken));
        Assert.Equal(key.GetHashCode(), BlockwiseKey.FromRequest(Client, aOtherToken).GetHashCode());
        Assert.NotEqual(key, BlockwiseKey.FromRequest(OtherClient, a));
        Assert.NotEqual(key, BlockwiseKey.FromRequest(Client, aPost));
        Assert.NotEqual(key, BlockwiseKey.FromRequest(Client, b));
        Assert.NotEqual(key, BlockwiseKey.FromRequest(Client, aQuery));
    }

    [Fact]
    public void Interleaved_transfers_from_two_peers_and_two_paths_are_kept_apart()
    {
        var reassembler = Create(new VirtualTimeProvider());
        var transfers = new (global::Tern.Coap.Transport.CoapPeer Peer, string Path, byte[] Body)[]
        {
            (Client, "/a", Body(300, seed: 1)),
            (OtherClient, "/a", Body(290, seed: 2)),
            (Client, "/b", Body(260, seed: 3)),
        };
        var results = new Block1Outcome[3];

        for (uint n = 0; n < 3; n++)
        {
            for (int t = 0; t < transfers.Length; t++)
            {
                (global::Tern.Coap.Transport.CoapPeer peer, string path, byte[] body) = transfers[t];
                var block = new BlockOption(n, n < 2, 3);
                results[t] = reassembler.Accept(peer, Block1Put(path, body, block, token: (byte)(10 * t + n)), block);
            }
        }

        for (int t = 0; t < transfers.Length; t++)
        {
            Assert.Equal(Block1OutcomeKind.Complete, results[t].Kind);
            Assert.Equal(transfers[t].Body, results[t].Body.ToArray());
        }
    }

    [Fact]
    public void Idle_transfer_expires_after_the_exchange_lifetime_on_the_virtual_clock()
    {
        var clock = new VirtualTimeProvider();
        var reassembler = new Block1Reassembler(clock);
        byte[] body = Body(3000);
        DateTimeOffset start = clock.GetUtcNow();
        reassembler.Accept(Client, Block1Put("/x", body, Parse("0/1/1024")), Parse("0/1/1024"));

        Assert.Equal(start + TimeSpan.FromSeconds(247), reassembler.NextExpiry);
        clock.Advance(TimeSpan.FromSeconds(246));
        Assert.Equal(Block1OutcomeKind.Continue, reassembler.Accept(Client, Block1Put("/x", body, Parse("1/1/1024")), Parse("1/1/1024")).Kind);
        clock.Advance(TimeSpan.FromSeconds(247));
        Block1Outcome late = reassembler.Accept(Client, Block1Put("/x", body, Parse("2/0/1024")), Parse("2/0/1024"));

        Assert.Equal(Block1OutcomeKind.Incomplete, late.Kind);
        Assert.Equal(0, reassembler.Count);
        Assert.Null(reassembler.NextExpiry);
    }

    [Fact]
    public void Remove_expired_drops_only_transfers_idle_for_a_lifetime()
    {
        var clock = new VirtualTimeProvider();
        var reassembler = new Block1Reassembler(clock, new BlockwiseLimits { Lifetime = TimeSpan.FromSeconds(100) });
        byte[] body = Body(3000);
        reassembler.Accept(Client, Block1Put("/old", body, Parse("0/1/1024")), Parse("0/1/1024"));
        clock.Advance(TimeSpan.FromSeconds(60));
        reassembler.Accept(Client, Block1Put("/new", body, Parse("0/1/1024")), Parse("0/1/1024"));
        clock.Advance(TimeSpan.FromSeconds(40));

        Assert.Equal(1, reassembler.RemoveExpired());
        Assert.False(reassembler.TryGetProgress(BlockwiseKey.FromRequest(Client, Request(CoapCode.Put, "/old")), out _, out _));
        Assert.True(reassembler.TryGetProgress(BlockwiseKey.FromRequest(Client, Request(CoapCode.Put, "/new")), out int received, out _));
        Assert.Equal(1024, received);
    }

    [Fact]
    public void Full_table_evicts_the_transfer_idle_the_longest()
    {
        var clock = new VirtualTimeProvider();
        var reassembler = Create(clock, maxTransfers: 2);
        byte[] body = Body(300);
        reassembler.Accept(Client, Block1Put("/a", body, Parse("0/1/128")), Parse("0/1/128"));
        clock.Advance(TimeSpan.FromSeconds(1));
        reassembler.Accept(Client, Block1Put("/b", body, Parse("0/1/128")), Parse("0/1/128"));
        clock.Advance(TimeSpan.FromSeconds(1));
        reassembler.Accept(Client, Block1Put("/a", body, Parse("1/1/128")), Parse("1/1/128"));
        clock.Advance(TimeSpan.FromSeconds(1));

        reassembler.Accept(Client, Block1Put("/c", body, Parse("0/1/128")), Parse("0/1/128"));

        Assert.Equal(2, reassembler.Count);
        Assert.Equal(Block1OutcomeKind.Incomplete, reassembler.Accept(Client, Block1Put("/b", body, Parse("1/1/128")), Parse("1/1/128")).Kind);
        Assert.Equal(Block1OutcomeKind.Complete, reassembler.Accept(Client, Block1Put("/a", body, Parse("2/0/128")), Parse("2/0/128")).Kind);
    }

    [Fact]
    public void Announced_size1_within_the_limit_is_allocated_once_and_never_exceeded()
    {
        var reassembler = Create(new VirtualTimeProvider(), maxBody: 1000);
        byte[] body = Body(1000);
        CoapMessage first = Block1Put("/fw", body, Parse("0/1/64")).SetSize1(1000);
        reassembler.Accept(Client, first, Parse("0/1/64"));
        BlockwiseKey key = BlockwiseKey.FromRequest(Client, first);

        for (uint n = 1; n < 16; n++)
        {
            var block = new BlockOption(n, n < 15, 2);
            reassembler.Accept(Client, Block1Put("/fw", body, block), block);
            if (reassembler.TryGetProgress(key, out _, out int allocated))
            {
                Assert.Equal(1000, allocated);
            }
        }

        Assert.Equal(0, reassembler.Count);
    }

    [Fact]
    public void Hostile_random_blocks_never_throw_and_never_allocate_past_the_bounds()
    {
        const int maxBody = 2000;
        const int maxTransfers = 4;
        var clock = new VirtualTimeProvider();
        var reassembler = Create(clock, maxBody, maxTransfers, preferredSzx: 4);
        var random = new Random(7959);
        string[] paths = ["/a", "/b", "/c", "/d", "/e", "/f"];
        byte[] junk = Body(1024);
        BlockwiseKey[] keys =
        [
            .. from peer in new[] { Client, OtherClient }
               from method in new[] { CoapCode.Put, CoapCode.Post }
               from path in paths
               select BlockwiseKey.FromRequest(peer, Request(method, path)),
        ];
        int peakAllocation = 0;

        for (int i = 0; i < 20_000; i++)
        {
            int szx = random.Next(7);
            global::Tern.Coap.Transport.CoapPeer peer = random.Next(2) == 0 ? Client : OtherClient;
            CoapMessage request = Request(random.Next(2) == 0 ? CoapCode.Put : CoapCode.Post, paths[random.Next(paths.Length)], (byte)i);
            uint num = (uint)(random.Next(4) == 0 ? random.Next(0x100000) : random.Next(40));
            if (random.Next(2) == 0 && reassembler.TryGetProgress(BlockwiseKey.FromRequest(peer, request), out int sofar, out _))
            {
                // Mostly play along, so bodies grow towards the limit.
                szx = Math.Min(szx, 4);
                num = (uint)(sofar / BlockOption.SizeOf(szx));
            }

            var block = new BlockOption(num, random.Next(3) != 0, szx);
            int size = block.Size;
            int length = random.Next(4) switch { 0 => random.Next(size + 2), _ => size };
            request.Payload = junk.AsMemory(0, Math.Min(length, junk.Length));
            if (random.Next(10) == 0)
            {
                request.SetSize1((uint)random.Next(3 * maxBody));
            }

            Block1Outcome outcome = reassembler.Accept(peer, request, block);

            Assert.True(reassembler.Count <= maxTransfers);
            Assert.True(reassembler.BufferedBytes <= (long)maxBody * maxTransfers, $"{reassembler.BufferedBytes} bytes buffered");
            Assert.True(outcome.Body.Length <= maxBody);
            foreach (BlockwiseKey key in keys)
            {
                if (reassembler.TryGetProgress(key, out int received, out int allocated))
                {
                    Assert.InRange(received, 0, allocated);
                    peakAllocation = Math.Max(peakAllocation, allocated);
                }
            }

            if (random.Next(50) == 0)
            {
                clock.Advance(TimeSpan.FromSeconds(random.Next(300)));
            }
        }

        Assert.InRange(peakAllocation, 1, maxBody);
    }

    [Fact]
    public void Body_growing_in_small_blocks_never_allocates_past_the_limit()
    {
        var reassembler = Create(new VirtualTimeProvider(), maxBody: 1000);
        byte[] body = Body(1200);
        BlockwiseKey key = BlockwiseKey.FromRequest(Client, Request(CoapCode.Put, "/fw"));
        Block1Outcome outcome = default;
        int peak = 0;

        for (uint n = 0; n < 75 && outcome.Kind != Block1OutcomeKind.TooLarge; n++)
        {
            var block = new BlockOption(n, true, 0);
            outcome = reassembler.Accept(Client, Block1Put("/fw", body, block), block);
            if (reassembler.TryGetProgress(key, out _, out int allocated))
            {
                peak = Math.Max(peak, allocated);
            }
        }

        Assert.Equal(Block1OutcomeKind.TooLarge, outcome.Kind);
        Assert.Equal(1000, peak);
    }

    [Fact]
    public void Continue_outcome_writes_code_and_block1_into_the_response()
    {
        var reassembler = Create(new VirtualTimeProvider(), preferredSzx: 2);
        byte[] body = Body(300);
        Block1Outcome outcome = reassembler.Accept(Client, Block1Put("/x", body, Parse("0/1/256")), Parse("0/1/256"));
        var response = new CoapMessage { Code = CoapCode.Content };

        outcome.ApplyTo(response);

        Assert.Equal(CoapCode.Continue, response.Code);
        Assert.Equal(BlockOptionError.None, response.TryGetBlock1(out BlockOption? block1));
        Assert.Equal("0/1/64", block1.ToString());
        Assert.Null(response.GetSize1());
    }
}
