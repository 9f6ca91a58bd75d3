using System.Security.Cryptography;

namespace Tern.Coap.Dtls.Native;

/// <summary>
/// Record protection of TLS_PSK_WITH_AES_128_CCM_8 and TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 for DTLS 1.2 (RFC 6655 §3,
/// RFC 7251): a 12-byte nonce made of the 4-byte implicit IV and the 8-byte explicit nonce (the record's epoch and
/// sequence number, sent in front of the ciphertext), and an 8-byte tag.
/// </summary>
internal sealed class CcmRecordCipher : AeadRecordCipher
{
    public const int KeyLength = 16;
    public const int ImplicitIvLength = 4;
    public const int TagLength = 8;
    public const int Overhead = ExplicitNonceLength + TagLength;

    private readonly AesCcm _aes;

    public CcmRecordCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> implicitIv)
        : base(implicitIv, TagLength)
    {
        _aes = new AesCcm(key);
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

    public override void Dispose() => _aes.Dispose();

    protected override void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad) =>
        _aes.Encrypt(nonce, plaintext, ciphertext, tag, aad);

    protected override void Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad) =>
        _aes.Decrypt(nonce, ciphertext, tag, plaintext, aad);
}
