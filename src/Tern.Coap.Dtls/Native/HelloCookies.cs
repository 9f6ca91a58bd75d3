using System.Net;
using System.Security.Cryptography;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// Stateless HelloVerifyRequest cookies (RFC 6347 §4.2.1): HMAC-SHA256 over the client's address and port and its
/// ClientHello parameters, keyed by a secret that changes every <c>rotation</c>. The secret of period n is derived
/// from a random root key and n, so rotation needs no timer and no state; a cookie from the current or the previous
/// period is accepted, so a rotation in the middle of a cookie round trip does not fail it.
/// </summary>
internal sealed class HelloCookies
{
    public const int Length = 16;
    private readonly byte[] _root = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _time;
    private readonly long _rotationTicks;

    public HelloCookies(TimeProvider time, TimeSpan rotation)
    {
        _time = time;
        _rotationTicks = Math.Max(1, rotation.Ticks);
    }

    public byte[] Create(IPEndPoint client, ClientHello hello)
    {
        byte[] cookie = new byte[Length];
        Compute(Period(), client, hello, cookie);
        return cookie;
    }

    public bool IsValid(IPEndPoint client, ClientHello hello)
    {
        if (hello.Cookie.Length != Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[Length];
        long period = Period();
        for (long p = period; p >= period - 1; p--)
        {
            Compute(p, client, hello, expected);
            if (CryptographicOperations.FixedTimeEquals(expected, hello.Cookie))
            {
                return true;
            }
        }

        return false;
    }

    private long Period() => _time.GetUtcNow().UtcTicks / _rotationTicks;

    private void Compute(long period, IPEndPoint client, ClientHello hello, Span<byte> cookie)
    {
        Span<byte> secret = stackalloc byte[32];
        Span<byte> periodBytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(periodBytes, period);
        HMACSHA256.HashData(_root, periodBytes, secret);

        Span<byte> address = stackalloc byte[18];
        client.Address.TryWriteBytes(address, out int written);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(address[written..], (ushort)client.Port);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        hmac.AppendData(address[..(written + 2)]);
        hmac.AppendData(hello.CookieInput);
        Span<byte> mac = stackalloc byte[32];
        hmac.GetHashAndReset(mac);
        mac[..Length].CopyTo(cookie);
    }
}
