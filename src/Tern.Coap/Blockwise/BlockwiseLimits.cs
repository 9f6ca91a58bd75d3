namespace Tern.Coap.Blockwise;

/// <summary>
/// Bounds shared by the server-side block-wise state (<see cref="Block1Reassembler"/> and
/// <see cref="Block2RepresentationCache"/>). Validated when a component is created.
/// </summary>
public sealed record BlockwiseLimits
{
    /// <summary>RFC 7252 §4.8.2 EXCHANGE_LIFETIME with default parameters: 247 seconds.</summary>
    public static readonly TimeSpan DefaultExchangeLifetime = TimeSpan.FromSeconds(247);

    /// <summary>The largest body reassembled or cached, in bytes (default 64 KiB). Larger request bodies get 4.13.</summary>
    public int MaxBodySize { get; init; } = 64 * 1024;

    /// <summary>The most transfers (or cached representations) held at once (default 32).</summary>
    public int MaxTransfers { get; init; } = 32;

    /// <summary>How long an idle transfer is kept after its last block (default EXCHANGE_LIFETIME, 247 s).</summary>
    public TimeSpan Lifetime { get; init; } = DefaultExchangeLifetime;

    /// <summary>The block size exponent the server prefers (default 6, 1024 bytes); larger client blocks are negotiated down.</summary>
    public int PreferredSizeExponent { get; init; } = BlockOption.MaxSizeExponent;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a bound is not usable.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBodySize, 1, nameof(MaxBodySize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTransfers, 1, nameof(MaxTransfers));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Lifetime, TimeSpan.Zero, nameof(Lifetime));
        ArgumentOutOfRangeException.ThrowIfNegative(PreferredSizeExponent, nameof(PreferredSizeExponent));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PreferredSizeExponent, BlockOption.MaxSizeExponent, nameof(PreferredSizeExponent));
    }
}
