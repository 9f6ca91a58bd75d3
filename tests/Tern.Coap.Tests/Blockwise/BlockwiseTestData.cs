using System.Net;
using Tern.Coap.Blockwise;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Tests.Blockwise;

/// <summary>Peers, bodies and request builders shared by the block-wise tests.</summary>
internal static class BlockwiseTestData
{
    public static readonly CoapPeer Client = new(new IPEndPoint(IPAddress.Parse("192.0.2.10"), 40001));
    public static readonly CoapPeer OtherClient = new(new IPEndPoint(IPAddress.Parse("192.0.2.11"), 40001));

    /// <summary>A body whose bytes depend on their position and a seed, so misplaced blocks show up.</summary>
    public static byte[] Body(int length, int seed = 1)
    {
        byte[] body = new byte[length];
        for (int i = 0; i < length; i++)
        {
            body[i] = (byte)((i * 31) + (seed * 7) + (i >> 8));
        }

        return body;
    }

    /// <summary>A request with Uri-Path, a token, and optionally Block1 with the matching slice of the body.</summary>
    public static CoapMessage Request(CoapCode method, string path, byte token = 1)
    {
        var request = new CoapMessage { Type = CoapMessageType.Confirmable, Code = method, Token = new[] { token } };
        request.SetUriPath(path);
        return request;
    }

    /// <summary>A PUT carrying block <paramref name="block"/> of <paramref name="body"/> (the slice at its offset).</summary>
    public static CoapMessage Block1Put(string path, byte[] body, BlockOption block, byte token = 1)
    {
        CoapMessage request = Request(CoapCode.Put, path, token);
        int count = Math.Max(0, Math.Min(block.Size, body.Length - block.Offset));
        request.Payload = body.AsMemory(Math.Min(block.Offset, body.Length), count);
        request.SetBlock1(block);
        return request;
    }

    /// <summary>Parses the RFC figure notation <c>num/m/size</c>.</summary>
    public static BlockOption Parse(string text)
    {
        string[] parts = text.Split('/');
        int szx = BlockOption.LargestExponentNotAbove(int.Parse(parts[2]));
        return new BlockOption(uint.Parse(parts[0]), parts[1] == "1", szx);
    }
}
