using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// Record protection of TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 for DTLS 1.2 (RFC 5288 §3): a 12-byte nonce of the
/// 4-byte salt from the key block and the 8-byte explicit nonce sent in front of the ciphertext (here the record's epoch
/// and sequence, unique per key as §3 requires), a 16-byte tag, and the same additional data as every TLS 1.2 AEAD.
/// </summary>
internal sealed class GcmRecordCipher : IRecordCipher
{
    public const int KeyLength = 16;
    public const int SaltLength = 4;
    public const int ExplicitNonceLength = 8;
    public const int TagLength = 16;
    public const int Overhead = ExplicitNonceLength + TagLength;

    private readonly AesGcm _aes;
    private readonly byte[] _salt;

    public GcmRecordCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt)
    {
        _aes = new AesGcm(key, TagLength);
        _salt = salt.ToArray();
    }

    int IRecordCipher.Overhead => Overhead;

    public int Seal(ulong epochAndSequence, byte type, ushort version, ReadOnlySpan<byte> plaintext, Span<byte> fragment)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[13];
        RecordCiphers.BuildNonceAndAad(_salt, epochAndSequence, type, version, plaintext.Length, nonce, aad);
        BinaryPrimitives.WriteUInt64BigEndian(fragment, epochAndSequence);
        _aes.Encrypt(nonce, plaintext, fragment.Slice(ExplicitNonceLength, plaintext.Length),
            fragment.Slice(ExplicitNonceLength + plaintext.Length, TagLength), aad);
        return plaintext.Length + Overhead;
    }

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
        RecordCiphers.BuildNonceAndAad(_salt, epochAndSequence, type, version, length, nonce, aad);
        fragment[..ExplicitNonceLength].CopyTo(nonce[SaltLength..]); // the peer's explicit nonce, whatever it chose
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

    public void Dispose() => _aes.Dispose();
}
