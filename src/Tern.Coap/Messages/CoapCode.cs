namespace Tern.Coap.Messages;

/// <summary>
/// A CoAP code (RFC 7252 §3, §12.1): a 3-bit class and a 5-bit detail, written <c>c.dd</c>.
/// 0.00 is the empty message, 0.01–0.31 are request methods, 2.xx–5.xx are responses.
/// </summary>
public readonly record struct CoapCode(byte Value)
{
    /// <summary>Builds a code from its class (0–7) and detail (0–31).</summary>
    public CoapCode(int codeClass, int detail)
        : this(Pack(codeClass, detail))
    {
    }

    /// <summary>The class, the top three bits.</summary>
    public int Class => Value >> 5;

    /// <summary>The detail, the low five bits.</summary>
    public int Detail => Value & 0x1F;

    /// <summary>True for 0.00, the code of empty messages.</summary>
    public bool IsEmpty => Value == 0;

    /// <summary>True for request methods (class 0, detail 1–31).</summary>
    public bool IsRequest => Class == 0 && Value != 0;

    /// <summary>True for responses (classes 2–5).</summary>
    public bool IsResponse => Class is >= 2 and <= 5;

    /// <summary>True for 2.xx responses.</summary>
    public bool IsSuccess => Class == 2;

    /// <summary>The empty message code 0.00.</summary>
    public static CoapCode Empty => new(0);

    /// <summary>GET (0.01).</summary>
    public static CoapCode Get => new(0, 1);
    /// <summary>POST (0.02).</summary>
    public static CoapCode Post => new(0, 2);
    /// <summary>PUT (0.03).</summary>
    public static CoapCode Put => new(0, 3);
    /// <summary>DELETE (0.04).</summary>
    public static CoapCode Delete => new(0, 4);
    /// <summary>FETCH (0.05, RFC 8132).</summary>
    public static CoapCode Fetch => new(0, 5);
    /// <summary>PATCH (0.06, RFC 8132).</summary>
    public static CoapCode Patch => new(0, 6);
    /// <summary>iPATCH (0.07, RFC 8132).</summary>
    public static CoapCode IPatch => new(0, 7);

    /// <summary>2.01 Created.</summary>
    public static CoapCode Created => new(2, 1);
    /// <summary>2.02 Deleted.</summary>
    public static CoapCode Deleted => new(2, 2);
    /// <summary>2.03 Valid.</summary>
    public static CoapCode Valid => new(2, 3);
    /// <summary>2.04 Changed.</summary>
    public static CoapCode Changed => new(2, 4);
    /// <summary>2.05 Content.</summary>
    public static CoapCode Content => new(2, 5);
    /// <summary>2.31 Continue (RFC 7959).</summary>
    public static CoapCode Continue => new(2, 31);
    /// <summary>4.00 Bad Request.</summary>
    public static CoapCode BadRequest => new(4, 0);
    /// <summary>4.01 Unauthorized.</summary>
    public static CoapCode Unauthorized => new(4, 1);
    /// <summary>4.02 Bad Option.</summary>
    public static CoapCode BadOption => new(4, 2);
    /// <summary>4.03 Forbidden.</summary>
    public static CoapCode Forbidden => new(4, 3);
    /// <summary>4.04 Not Found.</summary>
    public static CoapCode NotFound => new(4, 4);
    /// <summary>4.05 Method Not Allowed.</summary>
    public static CoapCode MethodNotAllowed => new(4, 5);
    /// <summary>4.06 Not Acceptable.</summary>
    public static CoapCode NotAcceptable => new(4, 6);
    /// <summary>4.08 Request Entity Incomplete (RFC 7959).</summary>
    public static CoapCode RequestEntityIncomplete => new(4, 8);
    /// <summary>4.09 Conflict (RFC 8132).</summary>
    public static CoapCode Conflict => new(4, 9);
    /// <summary>4.12 Precondition Failed.</summary>
    public static CoapCode PreconditionFailed => new(4, 12);
    /// <summary>4.13 Request Entity Too Large.</summary>
    public static CoapCode RequestEntityTooLarge => new(4, 13);
    /// <summary>4.15 Unsupported Content-Format.</summary>
    public static CoapCode UnsupportedContentFormat => new(4, 15);
    /// <summary>5.00 Internal Server Error.</summary>
    public static CoapCode InternalServerError => new(5, 0);
    /// <summary>5.01 Not Implemented.</summary>
    public static CoapCode NotImplemented => new(5, 1);
    /// <summary>5.02 Bad Gateway.</summary>
    public static CoapCode BadGateway => new(5, 2);
    /// <summary>5.03 Service Unavailable.</summary>
    public static CoapCode ServiceUnavailable => new(5, 3);
    /// <summary>5.04 Gateway Timeout.</summary>
    public static CoapCode GatewayTimeout => new(5, 4);
    /// <summary>5.05 Proxying Not Supported.</summary>
    public static CoapCode ProxyingNotSupported => new(5, 5);

    // Validates before packing: the chained constructor runs first, so a checked cast there would
    // surface as OverflowException instead of naming the bad argument.
    private static byte Pack(int codeClass, int detail)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)codeClass, 7u, nameof(codeClass));
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)detail, 31u, nameof(detail));
        return (byte)((codeClass << 5) | detail);
    }

    /// <summary>Formats the code as <c>c.dd</c>, e.g. <c>2.05</c>.</summary>
    public override string ToString() => $"{Class}.{Detail:D2}";
}
