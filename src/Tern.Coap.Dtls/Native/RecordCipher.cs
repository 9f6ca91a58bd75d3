using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// The protection of one direction of epoch 1 under an AEAD suite (RFC 5246 §6.2.3.3): the record's epoch and sequence
/// as the 8-byte explicit nonce in front of the ciphertext, then the tag. Not thread-safe.
/// </summary>
internal interface IRecordCipher : IDisposable
{
    /// <summary>Bytes a sealed fragment adds to its plaintext: explicit nonce and tag.</summary>
    int Overhead { get; }

    /// <summary>Writes explicit nonce ‖ ciphertext ‖ tag into <paramref name="fragment"/>; returns its length.</summary>
    int Seal(ulong epochAndSequence, byte type, ushort version, ReadOnlySpan<byte> plaintext, Span<byte> fragment);

    /// <summary>Authenticates and decrypts a fragment; false when it is too short or does not authenticate.</summary>
    bool TryOpen(ulong epochAndSequence, byte type, ushort version, ReadOnlySpan<byte> fragment, Span<byte> plaintext, out int length);
}

/// <summary>The record ciphers of the suites the native engine implements, and what they share.</summary>
internal static class RecordCiphers
{
    /// <summary>The largest <see cref="IRecordCipher.Overhead"/> of any suite (GCM: 8-byte nonce, 16-byte tag).</summary>
    public const int MaxOverhead = GcmRecordCipher.Overhead;

    /// <summary>
    /// The two directions' ciphers of <paramref name="suite"/> from the key block. CCM_8 (RFC 6655, RFC 7251) and
    /// AES_128_GCM_SHA256 (RFC 5288) lay it out alike: client key, server key (16 bytes each), client and server salt
    /// (4 bytes each), no MAC keys.
    /// </summary>
    public static (IRecordCipher ClientWrite, IRecordCipher ServerWrite) FromMasterSecret(
        ushort suite, ReadOnlySpan<byte> master, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
    {
        if (suite != (ushort)DtlsCipherSuite.EcdheEcdsaWithAes128GcmSha256)
        {
            return CcmRecordCipher.FromMasterSecret(master, clientRandom, serverRandom);
        }

        const int Key = GcmRecordCipher.KeyLength, Salt = GcmRecordCipher.SaltLength;
        Span<byte> block = stackalloc byte[(2 * Key) + (2 * Salt)];
        TlsPrf.KeyBlock(master, clientRandom, serverRandom, block);
        var ciphers = (new GcmRecordCipher(block[..Key], block.Slice(2 * Key, Salt)),
            new GcmRecordCipher(block.Slice(Key, Key), block.Slice((2 * Key) + Salt, Salt)));
        CryptographicOperations.ZeroMemory(block);
        return ciphers;
    }

    /// <summary>nonce = implicit IV (salt) ‖ epoch ‖ sequence; additional data = epoch ‖ sequence ‖ type ‖ version ‖ length.</summary>
    public static void BuildNonceAndAad(ReadOnlySpan<byte> implicitIv, ulong epochAndSequence, byte type, ushort version, int plaintextLength,
        Span<byte> nonce, Span<byte> aad)
    {
        implicitIv.CopyTo(nonce);
        BinaryPrimitives.WriteUInt64BigEndian(nonce[implicitIv.Length..], epochAndSequence);
        BinaryPrimitives.WriteUInt64BigEndian(aad, epochAndSequence);
        aad[8] = type;
        BinaryPrimitives.WriteUInt16BigEndian(aad[9..], version);
        BinaryPrimitives.WriteUInt16BigEndian(aad[11..], (ushort)plaintextLength);
    }
}
