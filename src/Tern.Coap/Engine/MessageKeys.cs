using Tern.Coap.Transport;

namespace Tern.Coap.Engine;

/// <summary>Identifies a message for deduplication and ACK/RST matching: the peer and the message ID (RFC 7252 §4.4).</summary>
internal readonly record struct MessageKey(CoapPeer Peer, ushort MessageId);

/// <summary>Identifies an exchange for response matching: the peer and the token (RFC 7252 §5.3.2), without allocating.</summary>
internal readonly record struct TokenKey(CoapPeer Peer, ulong Value, int Length)
{
    public static TokenKey From(CoapPeer peer, ReadOnlySpan<byte> token)
    {
        ulong value = 0;
        foreach (byte b in token)
        {
            value = (value << 8) | b;
        }

        return new TokenKey(peer, value, token.Length);
    }
}
