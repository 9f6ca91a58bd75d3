using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using static Tern.Coap.Tests.Blockwise.BlockwiseTestData;

namespace Tern.Coap.Tests.Blockwise;

public class BlockwiseKeyTests
{
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
    public void Observe_and_size_options_do_not_split_a_transfer_but_accept_and_etag_do()
    {
        CoapMessage plain = Request(CoapCode.Get, "/status");
        CoapMessage observing = Request(CoapCode.Get, "/status");
        observing.Observe = 0;
        observing.SetSize2(0).SetBlock2(new BlockOption(3, false, 2));
        CoapMessage accepting = Request(CoapCode.Get, "/status").AddOption(CoapOption.FromUInt(CoapOptionNumber.Accept, 60));
        CoapMessage tagged = Request(CoapCode.Get, "/status").AddOption(new CoapOption(CoapOptionNumber.ETag, new byte[] { 1 }));

        BlockwiseKey key = BlockwiseKey.FromRequest(Client, plain);

        Assert.Equal(key, BlockwiseKey.FromRequest(Client, observing));
        Assert.NotEqual(key, BlockwiseKey.FromRequest(Client, accepting));
        Assert.NotEqual(key, BlockwiseKey.FromRequest(Client, tagged));
    }

    [Fact]
    public void Option_boundaries_are_part_of_the_key()
    {
        CoapMessage ab = Request(CoapCode.Get, "/ab");
        CoapMessage aSlashB = Request(CoapCode.Get, "/a/b");

        Assert.NotEqual(BlockwiseKey.FromRequest(Client, ab), BlockwiseKey.FromRequest(Client, aSlashB));
    }
}
