namespace Tern.Coap.Messages;

/// <summary>
/// Option numbers registered by RFC 7252 §5.10, RFC 7641 (Observe), RFC 7959 (Block1, Block2, Size2)
/// and RFC 7967 (No-Response).
/// </summary>
public static class CoapOptionNumber
{
    /// <summary>If-Match (1), opaque, repeatable.</summary>
    public const ushort IfMatch = 1;
    /// <summary>Uri-Host (3), string.</summary>
    public const ushort UriHost = 3;
    /// <summary>ETag (4), opaque, repeatable in requests.</summary>
    public const ushort ETag = 4;
    /// <summary>If-None-Match (5), empty.</summary>
    public const ushort IfNoneMatch = 5;
    /// <summary>Observe (6), uint 0–3 bytes (RFC 7641).</summary>
    public const ushort Observe = 6;
    /// <summary>Uri-Port (7), uint.</summary>
    public const ushort UriPort = 7;
    /// <summary>Location-Path (8), string, repeatable.</summary>
    public const ushort LocationPath = 8;
    /// <summary>Uri-Path (11), string, repeatable.</summary>
    public const ushort UriPath = 11;
    /// <summary>Content-Format (12), uint.</summary>
    public const ushort ContentFormat = 12;
    /// <summary>Max-Age (14), uint.</summary>
    public const ushort MaxAge = 14;
    /// <summary>Uri-Query (15), string, repeatable.</summary>
    public const ushort UriQuery = 15;
    /// <summary>Accept (17), uint.</summary>
    public const ushort Accept = 17;
    /// <summary>Location-Query (20), string, repeatable.</summary>
    public const ushort LocationQuery = 20;
    /// <summary>Block2 (23), uint 0–3 bytes (RFC 7959).</summary>
    public const ushort Block2 = 23;
    /// <summary>Block1 (27), uint 0–3 bytes (RFC 7959).</summary>
    public const ushort Block1 = 27;
    /// <summary>Size2 (28), uint (RFC 7959).</summary>
    public const ushort Size2 = 28;
    /// <summary>Proxy-Uri (35), string.</summary>
    public const ushort ProxyUri = 35;
    /// <summary>Proxy-Scheme (39), string.</summary>
    public const ushort ProxyScheme = 39;
    /// <summary>Size1 (60), uint.</summary>
    public const ushort Size1 = 60;
    /// <summary>No-Response (258), uint (RFC 7967).</summary>
    public const ushort NoResponse = 258;

    /// <summary>True when the option is critical (odd number, RFC 7252 §5.4.1).</summary>
    public static bool IsCritical(int number) => (number & 1) != 0;

    /// <summary>True when the option is unsafe to forward (bit 1, RFC 7252 §5.4.2).</summary>
    public static bool IsUnsafe(int number) => (number & 2) != 0;

    /// <summary>True when the option is NoCacheKey (RFC 7252 §5.4.2).</summary>
    public static bool IsNoCacheKey(int number) => (number & 0x1E) == 0x1C;
}
