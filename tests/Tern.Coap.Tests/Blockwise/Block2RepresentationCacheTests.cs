using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using Tern.Coap.Timing;
using static Tern.Coap.Tests.Blockwise.BlockwiseTestData;

namespace Tern.Coap.Tests.Blockwise;

public class Block2RepresentationCacheTests
{
    private static CoapMessage Response(byte[] payload)
    {
        var response = new CoapMessage { Code = CoapCode.Content, Payload = payload, ContentFormat = 42 };
        response.Observe = 7;
        return response;
    }

    [Fact]
    public void Later_blocks_come_from_the_cached_representation_without_running_the_handler_again()
    {
        var cache = new Block2RepresentationCache(new VirtualTimeProvider());
        int handlerRuns = 0;
        byte[] version1 = Body(300, seed: 1);
        byte[] current = version1;
        CoapMessage Handler()
        {
            handlerRuns++;
            return Response(current);
        }

        var assembled = new List<byte>();
        BlockOption? requested = null;
        for (int i = 0; i < 3; i++)
        {
            BlockwiseKey key = BlockwiseKey.FromRequest(Client, Request(CoapCode.Get, "/status", token: (byte)i));
            if (requested is null || !cache.TryGet(key, out CachedRepresentation representation))
            {
                representation = cache.Store(key, Handler());
            }

            current = Body(300, seed: 2); // the resource changes after the first block
            var response = new CoapMessage();
            Block2Slice slice = representation.WriteBlock(response, requested, preferredSizeExponent: 3);
            assembled.AddRange(response.Payload.ToArray());
            if (slice.Block!.Value.More)
            {
                requested = BlockOption.AtOffset(slice.Block.Value.Offset + slice.Payload.Length, false, 3);
            }

            Assert.Equal(CoapCode.Content, response.Code);
            Assert.Equal((ushort)42, response.ContentFormat);
            Assert.Equal(representation.ETag.ToArray(), response.GetOption(CoapOptionNumber.ETag)!.Value.Value.ToArray());
        }

        Assert.Equal(1, handlerRuns);
        Assert.Equal(version1, assembled);
    }

    [Fact]
    public void Computed_etag_follows_the_content_and_a_handler_etag_is_kept()
    {
        var cache = new Block2RepresentationCache(new VirtualTimeProvider());
        BlockwiseKey a = BlockwiseKey.FromRequest(Client, Request(CoapCode.Get, "/a"));
        BlockwiseKey b = BlockwiseKey.FromRequest(Client, Request(CoapCode.Get, "/b"));
        BlockwiseKey c = BlockwiseKey.FromRequest(Client, Request(CoapCode.Get, "/c"));

        byte[] etagA = cache.Store(a, Response(Body(300, 1))).ETag.ToArray();
        byte[] etagB = cache.Store(b, Response(Body(300, 1))).ETag.ToArray();
        byte[] etagChanged = cache.Store(a, Response(Body(300, 2))).ETag.ToArray();
        CoapMessage tagged = Response(Body(300, 1)).AddOption(new CoapOption(CoapOptionNumber.ETag, new byte[] { 0xAB, 0xCD }));
        byte[] etagGiven = cache.Store(c, tagged).ETag.ToArray();

        Assert.Equal(8, etagA.Length);
        Assert.Equal(etagA, etagB);
        Assert.NotEqual(etagA, etagChanged);
        Assert.Equal(new byte[] { 0xAB, 0xCD }, etagGiven);
    }

    [Fact]
    public void Cached_options_leave_out_observe_block2_and_size2()
    {
        var cache = new Block2RepresentationCache(new VirtualTimeProvider());
        CoapMessage response = Response(Body(300)).SetBlock2(Parse("0/1/128")).SetSize2(300);

        CachedRepresentation entry = cache.Store(BlockwiseKey.FromRequest(Client, Request(CoapCode.Get, "/a")), response);

        Assert.Equal([CoapOptionNumber.ETag, CoapOptionNumber.ContentFormat], entry.Options.Select(o => o.Number));
    }

    [Fact]
    public void Entries_expire_after_a_lifetime_without_reads()
    {
        var clock = new VirtualTimeProvider();
        var cache = new Block2RepresentationCache(clock);
        BlockwiseKey key = BlockwiseKey.FromRequest(Client, Request(CoapCode.Get, "/a"));
        cache.Store(key, Response(Body(300)));

        clock.Advance(TimeSpan.FromSeconds(200));
        Assert.True(cache.TryGet(key, out _));
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(247), cache.NextExpiry);
        clock.Advance(TimeSpan.FromSeconds(247));

        Assert.False(cache.TryGet(key, out _));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Full_cache_evicts_the_least_recently_read_and_oversized_bodies_are_not_kept()
    {
        var clock = new VirtualTimeProvider();
        var cache = new Block2RepresentationCache(clock, new BlockwiseLimits { MaxTransfers = 2, MaxBodySize = 1000 });
        BlockwiseKey[] keys = [.. new[] { "/a", "/b", "/c", "/big" }.Select(p => BlockwiseKey.FromRequest(Client, Request(CoapCode.Get, p)))];
        cache.Store(keys[0], Response(Body(300)));
        clock.Advance(TimeSpan.FromSeconds(1));
        cache.Store(keys[1], Response(Body(300)));
        clock.Advance(TimeSpan.FromSeconds(1));
        cache.TryGet(keys[0], out _);

        cache.Store(keys[2], Response(Body(300)));
        CachedRepresentation big = cache.Store(keys[3], Response(Body(1001)));

        Assert.True(cache.TryGet(keys[0], out _));
        Assert.False(cache.TryGet(keys[1], out _));
        Assert.True(cache.TryGet(keys[2], out _));
        Assert.False(cache.TryGet(keys[3], out _));
        Assert.Equal(1001, big.Payload.Length);
        Assert.Equal(600, cache.CachedBytes);
    }

    [Fact]
    public void An_oversized_body_is_sliced_from_the_callers_memory_while_a_kept_one_is_copied()
    {
        var cache = new Block2RepresentationCache(new VirtualTimeProvider(), new BlockwiseLimits { MaxBodySize = 1000 });
        byte[] large = Body(5000);
        byte[] small = Body(500);

        CachedRepresentation passing = cache.Store(BlockwiseKey.FromRequest(Client, Request(CoapCode.Get, "/big")), Response(large));
        CachedRepresentation kept = cache.Store(BlockwiseKey.FromRequest(Client, Request(CoapCode.Get, "/small")), Response(small));
        large[0] ^= 0xFF;
        small[0] ^= 0xFF;

        Assert.Equal(large[0], passing.Payload.Span[0]);
        Assert.NotEqual(small[0], kept.Payload.Span[0]);
    }

    [Fact]
    public void Block_past_the_end_of_a_cached_representation_turns_the_response_into_4_02()
    {
        var cache = new Block2RepresentationCache(new VirtualTimeProvider());
        CachedRepresentation entry = cache.Store(BlockwiseKey.FromRequest(Client, Request(CoapCode.Get, "/a")), Response(Body(300)));
        var response = new CoapMessage();

        Block2Slice slice = entry.WriteBlock(response, Parse("3/0/128"), 6);

        Assert.Equal(Block2SliceStatus.BeyondEnd, slice.Status);
        Assert.Equal(CoapCode.BadOption, response.Code);
    }
}
