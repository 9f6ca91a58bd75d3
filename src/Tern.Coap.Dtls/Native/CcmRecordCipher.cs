using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// Record protection of TLS_PSK_WITH_AES_128_CCM_8 for DTLS 1.2 (RFC 6655 §3, RFC 5246 §6.2.3.3): a 12-byte nonce made
/// of the 4-byte implicit IV and the 8-byte explicit nonce, which is the record's epoch and sequence number and is
/// sent in front of the ciphertext; an 8-byte tag; additional data = epoch ‖ sequence ‖ type ‖ version ‖ length.
/// One instance per direction and epoch; not thread-safe (the owning connection serialises calls).
/// </summary>
internal sealed class CcmRecordCipher : IRecordCipher
{
    public const int KeyLength = 16;
    public const int ImplicitIvLength = 4;
    public const int ExplicitNonceLength = 8;
    public const int TagLength = 8;
    public const int Overhead = ExplicitNonceLength + TagLength;

    private readonly AesCcm _aes;
    private readonly byte[] _implicitIv;

    public CcmRecordCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> implicitIv)
    {
        _aes = new AesCcm(key);
        _implicitIv = implicitIv.ToArray();
    }

    /// <summary>
    /// Writes explicit nonce ‖ ciphertext ‖ tag of <paramref name="plaintext"/> into <paramref name="fragment"/>
    /// (at least <see cref="Overhead"/> bytes longer); <paramref name="epochAndSequence"/> is the 16-bit epoch over the 48-bit sequence.
    /// </summary>
    public int Seal(ulong epochAndSequence, byte type, ushort version, ReadOnlySpan<byte> plaintext, Span<byte> fragment)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[13];
        BuildNonceAndAad(epochAndSequence, type, version, plaintext.Length, nonce, aad);
        BinaryPrimitives.WriteUInt64BigEndian(fragment, epochAndSequence);
        _aes.Encrypt(nonce, plaintext, fragment.Slice(ExplicitNonceLength, plaintext.Length),
            fragment.Slice(ExplicitNonceLength + plaintext.Length, TagLength), aad);
        return plaintext.Length + Overhead;
    }

    /// <summary>
    /// Authenticates and decrypts a record fragment into <paramref name="plaintext"/>; false (and nothing written that
    /// the caller may use) when it is too short or does not authenticate. The header's epoch and sequence are authenticated,
    /// not the explicit nonce: a record whose nonce disagrees with its header fails on the nonce it was sealed with.
    /// </summary>
    public bool TryOpen(ulong epochAndSequence, byte type, ushort version, ReadOnlySpan<byte> fragment, Span<byte> plaintext, out int length)
    {
        length = fragment.Length - Overhead;
        if (length < 0 || plaintext.Length < length)
        {
            length = 0;
            return false;
        }

        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[13];
        BuildNonceAndAad(epochAndSequence, type, version, length, nonce, aad);
        fragment[..ExplicitNonceLength].CopyTo(nonce[ImplicitIvLength..]);
        try
        {
            _aes.Decrypt(nonce, fragment.Slice(ExplicitNonceLength, length), fragment.Slice(ExplicitNonceLength + length, TagLength),
                plaintext[..length], aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            plaintext[..length].Clear();
            length = 0;
            return false;
        }
    }

    /// <summary>
    /// The two directions' ciphers from the key block (RFC 5246 §6.3 with RFC 6655's sizes): client key, server key,
    /// client implicit IV, server implicit IV; no MAC keys.
    /// </summary>
    public static (CcmRecordCipher ClientWrite, CcmRecordCipher ServerWrite) FromMasterSecret(
        ReadOnlySpan<byte> master, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> serverRandom)
    {
        Span<byte> block = stackalloc byte[(2 * KeyLength) + (2 * ImplicitIvLength)];
        TlsPrf.KeyBlock(master, clientRandom, serverRandom, block);
        var ciphers = (new CcmRecordCipher(block[..KeyLength], block.Slice(2 * KeyLength, ImplicitIvLength)),
            new CcmRecordCipher(block.Slice(KeyLength, KeyLength), block.Slice((2 * KeyLength) + ImplicitIvLength, ImplicitIvLength)));
        CryptographicOperations.ZeroMemory(block);
        return ciphers;
    }

    int IRecordCipher.Overhead => Overhead;

    public void Dispose() => _aes.Dispose();

    private void BuildNonceAndAad(ulong epochAndSequence, byte type, ushort version, int plaintextLength, Span<byte> nonce, Span<byte> aad) =>
        RecordCiphers.BuildNonceAndAad(_implicitIv, epochAndSequence, type, version, plaintextLength, nonce, aad);
}
