using System.Security.Cryptography;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// Record protection of TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 for DTLS 1.2 (RFC 5288 §3): a 12-byte nonce of the
/// 4-byte salt from the key block and the 8-byte explicit nonce sent in front of the ciphertext (here the record's epoch
/// and sequence, unique per key as §3 requires), a 16-byte tag, and the same additional data as every TLS 1.2 AEAD.
/// </summary>
internal sealed class GcmRecordCipher : AeadRecordCipher
{
    public const int KeyLength = 16;
    public const int SaltLength = 4;
    public const int TagLength = 16;
    public const int Overhead = ExplicitNonceLength + TagLength;

    private readonly AesGcm _aes;

    public GcmRecordCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt)
        : base(salt, TagLength)
    {
        _aes = new AesGcm(key, TagLength);
    }

    public override void Dispose() => _aes.Dispose();

    protected override void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad) =>
        _aes.Encrypt(nonce, plaintext, ciphertext, tag, aad);

    protected override void Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad) =>
        _aes.Decrypt(nonce, ciphertext, tag, plaintext, aad);
}
