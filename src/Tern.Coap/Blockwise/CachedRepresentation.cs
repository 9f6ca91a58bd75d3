using System.Security.Cryptography;
using Tern.Coap.Messages;

namespace Tern.Coap.Blockwise;

/// <summary>
/// A response kept by the server while a client fetches it block by block: code, options (without Block2/Size2)
/// and payload, with an ETag that identifies this version of the content.
/// </summary>
public sealed class CachedRepresentation
{
    internal CachedRepresentation(CoapCode code, IReadOnlyList<CoapOption> options, ReadOnlyMemory<byte> payload, ReadOnlyMemory<byte> etag)
    {
        Code = code;
        Options = options;
        Payload = payload;
        ETag = etag;
    }

    /// <summary>The response code.</summary>
    public CoapCode Code { get; }

    /// <summary>
    /// The response options, ETag included; Block2, Size2 and Observe left out (later blocks of a notification
    /// carry no Observe option, RFC 7959 §3.4).
    /// </summary>
    public IReadOnlyList<CoapOption> Options { get; }

    /// <summary>The whole representation.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The ETag sent with every block (the handler's own, or one computed from the content).</summary>
    public ReadOnlyMemory<byte> ETag { get; }

    internal DateTimeOffset LastAccess { get; set; }

    /// <summary>
    /// Fills <paramref name="response"/> with this representation's code and options and the block chosen by
    /// <see cref="Block2Slicer"/> for <paramref name="requested"/>. Returns the slice (check
    /// <see cref="Block2Slice.Status"/>: for <see cref="Block2SliceStatus.BeyondEnd"/> the response has become 4.02).
    /// </summary>
    public Block2Slice WriteBlock(CoapMessage response, BlockOption? requested, int preferredSizeExponent, bool size2Requested = false)
    {
        ArgumentNullException.ThrowIfNull(response);
        Block2Slice slice = Block2Slicer.Slice(Payload, requested, preferredSizeExponent, size2Requested);
        if (slice.Status != Block2SliceStatus.BeyondEnd)
        {
            response.Code = Code;
            foreach (CoapOption option in Options)
            {
                response.RemoveOption(option.Number);
            }

            foreach (CoapOption option in Options)
            {
                response.AddOption(option);
            }
        }

        slice.ApplyTo(response);
        return slice;
    }

    /// <summary>
    /// An 8-byte ETag derived from the content (the first 8 bytes of its SHA-256): equal content gives an equal
    /// ETag, so a client can tell when blocks come from different versions.
    /// </summary>
    public static byte[] ComputeETag(ReadOnlySpan<byte> content)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, hash);
        return hash[..8].ToArray();
    }
}
