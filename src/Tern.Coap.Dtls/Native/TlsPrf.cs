using System.Security.Cryptography;
using System.Text;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// The TLS 1.2 pseudo-random function with SHA-256 (RFC 5246 §5) and the secrets a PSK handshake derives from it:
/// the premaster secret of RFC 4279 §2, the (extended) master secret (RFC 5246 §8.1, RFC 7627 §4), the key block
/// of RFC 5246 §6.3 and the Finished verify_data of §7.4.9.
/// </summary>
internal static class TlsPrf
{
    public const int MasterSecretLength = 48;
    public const int VerifyDataLength = 12;

    /// <summary>P_SHA256(secret, label ‖ seed) truncated to <paramref name="output"/>'s length.</summary>
    public static void Derive(ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> seed, Span<byte> output)
    {
        int labelLength = Encoding.ASCII.GetByteCount(label);
        byte[] labelSeed = new byte[labelLength + seed.Length];
        Encoding.ASCII.GetBytes(label, labelSeed);
        seed.CopyTo(labelSeed.AsSpan(labelLength));

        // A(0) = label ‖ seed; A(i) = HMAC(secret, A(i-1)); output block i = HMAC(secret, A(i) ‖ label ‖ seed).
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        Span<byte> a = stackalloc byte[32];
        Span<byte> block = stackalloc byte[32];
        hmac.AppendData(labelSeed);
        hmac.GetHashAndReset(a);
        int written = 0;
        while (written < output.Length)
        {
            hmac.AppendData(a);
            hmac.AppendData(labelSeed);
            hmac.GetHashAndReset(block);
            int take = Math.Min(block.Length, output.Length - written);
            block[..take].CopyTo(output[written..]);
            written += take;
            hmac.AppendData(a);
            hmac.GetHashAndReset(a);
        }
    }

    /// <summary>The plain-PSK premaster secret: uint16 N, N zero bytes, uint16 N, the key (RFC 4279 §2).</summary>
    public static byte[] PskPremasterSecret(ReadOnlySpan<byte> psk)
    {
        byte[] premaster = new byte[4 + (2 * psk.Length)];
        premaster[0] = (byte)(psk.Length >> 8);
        premaster[1] = (byte)psk.Length;
        premaster[2 + psk.Length] = (byte)(psk.Length >> 8);
        premaster[3 + psk.Length] = (byte)psk.Length;
        psk.CopyTo(premaster.AsSpan(4 + psk.Length));
        return premaster;
    }

    /// <summary>The classic master secret, seeded with the two hello randoms.</summary>
    public static byte[] MasterSecret(ReadOnlySpan<byte> premaster, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
    {
        Span<byte> seed = stackalloc byte[64];
        clientRandom.CopyTo(seed);
        serverRandom.CopyTo(seed[32..]);
        byte[] master = new byte[MasterSecretLength];
        Derive(premaster, "master secret", seed, master);
        return master;
    }

    /// <summary>The extended master secret, seeded with the hash of the handshake through ClientKeyExchange.</summary>
    public static byte[] ExtendedMasterSecret(ReadOnlySpan<byte> premaster, ReadOnlySpan<byte> sessionHash)
    {
        byte[] master = new byte[MasterSecretLength];
        Derive(premaster, "extended master secret", sessionHash, master);
        return master;
    }

    /// <summary>The key block, seeded server random first (RFC 5246 §6.3).</summary>
    public static void KeyBlock(ReadOnlySpan<byte> master, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom, Span<byte> output)
    {
        Span<byte> seed = stackalloc byte[64];
        serverRandom.CopyTo(seed);
        clientRandom.CopyTo(seed[32..]);
        Derive(master, "key expansion", seed, output);
    }

    /// <summary>The 12-byte verify_data of a Finished message over <paramref name="transcriptHash"/>.</summary>
    public static byte[] VerifyData(ReadOnlySpan<byte> master, bool client, ReadOnlySpan<byte> transcriptHash)
    {
        byte[] verify = new byte[VerifyDataLength];
        Derive(master, client ? "client finished" : "server finished", transcriptHash, verify);
        return verify;
    }
}
