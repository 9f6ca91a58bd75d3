using System.Buffers.Binary;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// The fields of a DTLS ClientHello body (RFC 6347 §4.2.1, RFC 5246 §7.4.1.2) that the native server needs. Parsing is
/// total: a malformed body yields null, never an exception, and every length is checked against what remains.
/// </summary>
internal sealed class ClientHello
{
    public const ushort EmptyRenegotiationScsv = 0x00FF;
    public const ushort RenegotiationInfoExtension = 0xFF01;
    public const ushort ExtendedMasterSecretExtension = 0x0017;
    public const ushort SupportedGroupsExtension = 0x000A;
    public const ushort PointFormatsExtension = 0x000B;
    public const ushort SignatureAlgorithmsExtension = 0x000D;
    public const ushort Secp256r1 = 23;
    public const byte UncompressedPoint = 0;
    public const ushort EcdsaSecp256r1Sha256 = 0x0403;

    private ClientHello(ushort version, byte[] random, byte[] sessionId, byte[] cookie, ushort[] suites, byte[] cookieInput)
    {
        Version = version;
        Random = random;
        SessionId = sessionId;
        Cookie = cookie;
        CipherSuites = suites;
        CookieInput = cookieInput;
    }

    public ushort Version { get; }

    public byte[] Random { get; }

    public byte[] SessionId { get; }

    public byte[] Cookie { get; }

    public ushort[] CipherSuites { get; }

    /// <summary>Version, random, session id, suites and compression methods: what the cookie binds the client to.</summary>
    public byte[] CookieInput { get; }

    public bool OffersNullCompression { get; private set; }

    /// <summary>The client sent renegotiation_info or the SCSV: the ServerHello must answer with an empty renegotiation_info.</summary>
    public bool OffersSecureRenegotiation { get; private set; }

    /// <summary>The client sent a non-empty renegotiation_info: a renegotiation, which this server refuses.</summary>
    public bool IsRenegotiation { get; private set; }

    public bool OffersExtendedMasterSecret { get; private set; }

    /// <summary>The named groups of supported_groups (RFC 8422 §5.1.1), or null when the client sent none.</summary>
    public ushort[]? SupportedGroups { get; private set; }

    /// <summary>The formats of ec_point_formats (RFC 8422 §5.1.2), or null when the client sent none.</summary>
    public byte[]? PointFormats { get; private set; }

    /// <summary>The pairs of signature_algorithms (RFC 5246 §7.4.1.4.1) as hash ‖ signature, or null when the client sent none.</summary>
    public ushort[]? SignatureAlgorithms { get; private set; }

    /// <summary>secp256r1 is acceptable: named in supported_groups, or no list sent (RFC 8422 §4: then any curve may be used).</summary>
    public bool OffersSecp256r1 => SupportedGroups is null || Array.IndexOf(SupportedGroups, Secp256r1) >= 0;

    /// <summary>Uncompressed points are acceptable: listed in ec_point_formats, or no list sent (uncompressed is always implied).</summary>
    public bool OffersUncompressedPoints => PointFormats is null || Array.IndexOf(PointFormats, UncompressedPoint) >= 0;

    /// <summary>ecdsa_secp256r1_sha256 is listed; without the extension TLS 1.2 implies SHA-1, which this server does not sign with.</summary>
    public bool OffersEcdsaSha256 => SignatureAlgorithms is not null && Array.IndexOf(SignatureAlgorithms, EcdsaSecp256r1Sha256) >= 0;

    public bool Offers(ushort suite) => Array.IndexOf(CipherSuites, suite) >= 0;

    public static ClientHello? Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Reader(body);
        if (!reader.TryUInt16(out ushort version) || !reader.TryBytes(32, out ReadOnlySpan<byte> random)
            || !reader.TryVector8(out ReadOnlySpan<byte> sessionId) || sessionId.Length > 32
            || !reader.TryVector8(out ReadOnlySpan<byte> cookie)
            || !reader.TryVector16(out ReadOnlySpan<byte> suites) || suites.Length < 2 || suites.Length % 2 != 0
            || !reader.TryVector8(out ReadOnlySpan<byte> compression) || compression.IsEmpty)
        {
            return null;
        }

        // The cookie input: everything before the cookie, then everything after it up to the extensions.
        int cookieStart = 2 + 32 + 1 + sessionId.Length;
        int afterCookie = cookieStart + 1 + cookie.Length;
        byte[] cookieInput = [.. body[..cookieStart], .. body[afterCookie..reader.Position]];

        ushort[] parsedSuites = new ushort[suites.Length / 2];
        for (int i = 0; i < parsedSuites.Length; i++)
        {
            parsedSuites[i] = BinaryPrimitives.ReadUInt16BigEndian(suites[(2 * i)..]);
        }

        var hello = new ClientHello(version, random.ToArray(), sessionId.ToArray(), cookie.ToArray(), parsedSuites, cookieInput)
        {
            OffersNullCompression = compression.Contains((byte)0),
            OffersSecureRenegotiation = Array.IndexOf(parsedSuites, EmptyRenegotiationScsv) >= 0,
        };

        if (reader.Remaining == 0)
        {
            return hello;
        }

        if (!reader.TryVector16(out ReadOnlySpan<byte> extensions) || reader.Remaining != 0)
        {
            return null;
        }

        var ext = new Reader(extensions);
        while (ext.Remaining > 0)
        {
            if (!ext.TryUInt16(out ushort type) || !ext.TryVector16(out ReadOnlySpan<byte> data))
            {
                return null;
            }

            if (type == RenegotiationInfoExtension)
            {
                hello.OffersSecureRenegotiation = true;
                hello.IsRenegotiation = data.Length != 1 || data[0] != 0;
            }
            else if (type == ExtendedMasterSecretExtension)
            {
                hello.OffersExtendedMasterSecret = true;
            }
            else if (type == SupportedGroupsExtension)
            {
                if (!TryUInt16List(data, out ushort[] groups))
                {
                    return null;
                }

                hello.SupportedGroups = groups;
            }
            else if (type == SignatureAlgorithmsExtension)
            {
                if (!TryUInt16List(data, out ushort[] algorithms))
                {
                    return null;
                }

                hello.SignatureAlgorithms = algorithms;
            }
            else if (type == PointFormatsExtension)
            {
                var formats = new Reader(data);
                if (!formats.TryVector8(out ReadOnlySpan<byte> list) || list.IsEmpty || formats.Remaining != 0)
                {
                    return null;
                }

                hello.PointFormats = list.ToArray();
            }
        }

        return hello;
    }

    /// <summary>Reads a vector16 of uint16 values that fills <paramref name="data"/> exactly.</summary>
    private static bool TryUInt16List(ReadOnlySpan<byte> data, out ushort[] values)
    {
        values = [];
        var reader = new Reader(data);
        if (!reader.TryVector16(out ReadOnlySpan<byte> list) || list.Length % 2 != 0 || reader.Remaining != 0)
        {
            return false;
        }

        values = new ushort[list.Length / 2];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt16BigEndian(list[(2 * i)..]);
        }

        return true;
    }

    /// <summary>A bounds-checked cursor over a big-endian TLS structure.</summary>
    internal ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public int Position { get; private set; }

        public readonly int Remaining => _data.Length - Position;

        public bool TryUInt16(out ushort value)
        {
            value = 0;
            if (Remaining < 2)
            {
                return false;
            }

            value = BinaryPrimitives.ReadUInt16BigEndian(_data[Position..]);
            Position += 2;
            return true;
        }

        public bool TryBytes(int count, out ReadOnlySpan<byte> value)
        {
            value = default;
            if (Remaining < count)
            {
                return false;
            }

            value = _data.Slice(Position, count);
            Position += count;
            return true;
        }

        public bool TryVector8(out ReadOnlySpan<byte> value)
        {
            value = default;
            return Remaining >= 1 && TryBytes(_data[Position++], out value);
        }

        public bool TryVector16(out ReadOnlySpan<byte> value)
        {
            value = default;
            return TryUInt16(out ushort length) && TryBytes(length, out value);
        }
    }
}
