using System.Buffers.Binary;
using Tern.Coap.Messages;
using Tern.Coap.Transport;

namespace Tern.Coap.Blockwise;

/// <summary>
/// Identifies a block-wise transfer on the server side, as RFC 7959 §2.4 and §2.5 describe: the requesting
/// endpoint plus the request's method and cache-key options (Uri-Host, Uri-Port, Uri-Path, Uri-Query, Accept,
/// ETag, Content-Format, …). Not part of the key: the token (a client may change it between blocks), the
/// Block1/Block2 options themselves, Observe (RFC 7641 §2 keeps it out of the cache key) and every option
/// marked NoCacheKey (Size1, Size2). Two requests with equal keys belong to the same transfer.
/// </summary>
public sealed class BlockwiseKey : IEquatable<BlockwiseKey>
{
    private readonly byte[] _options;
    private readonly int _hash;

    private BlockwiseKey(CoapPeer peer, CoapCode method, byte[] options)
    {
        Peer = peer;
        Method = method;
        _options = options;
        var hash = new HashCode();
        hash.Add(peer);
        hash.Add(method);
        hash.AddBytes(options);
        _hash = hash.ToHashCode();
    }

    /// <summary>The requesting endpoint.</summary>
    public CoapPeer Peer { get; }

    /// <summary>The request method.</summary>
    public CoapCode Method { get; }


    /// <summary>Builds the key of <paramref name="request"/> received from <paramref name="peer"/>.</summary>
    public static BlockwiseKey FromRequest(CoapPeer peer, CoapMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        int length = 0;
        foreach (CoapOption option in request.Options)
        {
            if (IsKeyOption(option.Number))
            {
                length += 4 + option.Value.Length;
            }
        }

        byte[] canonical = new byte[length];
        int offset = 0;
        foreach (CoapOption option in request.Options)
        {
            if (!IsKeyOption(option.Number))
            {
                continue;
            }

            BinaryPrimitives.WriteUInt16BigEndian(canonical.AsSpan(offset), option.Number);
            BinaryPrimitives.WriteUInt16BigEndian(canonical.AsSpan(offset + 2), (ushort)option.Value.Length);
            option.Value.Span.CopyTo(canonical.AsSpan(offset + 4));
            offset += 4 + option.Value.Length;
        }

        return new BlockwiseKey(peer, request.Code, canonical);
    }

    /// <summary>True for options that take part in the key.</summary>
    public static bool IsKeyOption(int number) =>
        number is not (CoapOptionNumber.Block1 or CoapOptionNumber.Block2 or CoapOptionNumber.Observe)
        && !CoapOptionNumber.IsNoCacheKey(number);

    /// <summary>The number of bytes the key holds for its options (for memory accounting).</summary>
    public int OptionBytes => _options.Length;

    /// <inheritdoc />
    public bool Equals(BlockwiseKey? other) =>
        other is not null && _hash == other._hash && Peer == other.Peer && Method == other.Method
        && _options.AsSpan().SequenceEqual(other._options);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BlockwiseKey);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <inheritdoc />
    public override string ToString() => $"{Method} from {Peer} ({_options.Length} key option bytes)";
}
