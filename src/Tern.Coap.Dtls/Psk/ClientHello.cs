using System.Buffers.Binary;

namespace Tern.Coap.Dtls.Psk;

/// <summary>
/// The fields of a DTLS ClientHello body (RFC 6347 §4.2.1, RFC 5246 §7.4.1.2) that a PSK server needs. Parsing is
/// total: a malformed body yields null, never an exception, and every length is checked against what remains.
/// </summary>
internal sealed class ClientHello
{
    public const ushort EmptyRenegotiationScsv = 0x00FF;
    public const ushort RenegotiationInfoExtension = 0xFF01;
    public const ushort ExtendedMasterSecretExtension = 0x0017;

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
        }

        return hello;
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
