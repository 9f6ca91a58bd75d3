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

/// <summary>
/// What the AEAD suites share (RFC 5246 §6.2.3.3): nonce = salt ‖ explicit nonce, the explicit nonce (here the record's
/// epoch and sequence) in front of the ciphertext, the tag after it, and the same additional data. A subclass only
/// encrypts and decrypts with its algorithm. One instance per direction and epoch; not thread-safe (the owning
/// connection serialises calls).
/// </summary>
internal abstract class AeadRecordCipher : IRecordCipher
{
    /// <summary>Length of the explicit nonce sent in front of each ciphertext.</summary>
    public const int ExplicitNonceLength = 8;

    private readonly byte[] _salt;
    private readonly int _tagLength;

    protected AeadRecordCipher(ReadOnlySpan<byte> salt, int tagLength)
    {
        _salt = salt.ToArray();
        _tagLength = tagLength;
    }

    int IRecordCipher.Overhead => ExplicitNonceLength + _tagLength;

    /// <summary>
    /// Writes explicit nonce ‖ ciphertext ‖ tag of <paramref name="plaintext"/> into <paramref name="fragment"/>
    /// (at least the overhead longer); <paramref name="epochAndSequence"/> is the 16-bit epoch over the 48-bit sequence.
    /// </summary>
    public int Seal(ulong epochAndSequence, byte type, ushort version, ReadOnlySpan<byte> plaintext, Span<byte> fragment)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[13];
        RecordCiphers.BuildNonceAndAad(_salt, epochAndSequence, type, version, plaintext.Length, nonce, aad);
        BinaryPrimitives.WriteUInt64BigEndian(fragment, epochAndSequence);
        Encrypt(nonce, plaintext, fragment.Slice(ExplicitNonceLength, plaintext.Length), fragment.Slice(ExplicitNonceLength + plaintext.Length, _tagLength), aad);
        return ExplicitNonceLength + plaintext.Length + _tagLength;
    }

    /// <summary>
    /// Authenticates and decrypts a record fragment into <paramref name="plaintext"/>; false (and nothing written that
    /// the caller may use) when it is too short or does not authenticate. The header's epoch and sequence are authenticated,
    /// not the explicit nonce: the peer's nonce is used as sent, and a record sealed under another one fails.
    /// </summary>
    public bool TryOpen(ulong epochAndSequence, byte type, ushort version, ReadOnlySpan<byte> fragment, Span<byte> plaintext, out int length)
    {
        length = fragment.Length - ExplicitNonceLength - _tagLength;
        if (length < 0 || plaintext.Length < length)
        {
            length = 0;
            return false;
        }

        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[13];
        RecordCiphers.BuildNonceAndAad(_salt, epochAndSequence, type, version, length, nonce, aad);
        fragment[..ExplicitNonceLength].CopyTo(nonce[_salt.Length..]);
        try
        {
            Decrypt(nonce, fragment.Slice(ExplicitNonceLength, length), fragment.Slice(ExplicitNonceLength + length, _tagLength), plaintext[..length], aad);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            plaintext[..length].Clear();
            length = 0;
            return false;
        }
    }

    /// <inheritdoc />
    public abstract void Dispose();

    /// <summary>Encrypts with the suite's algorithm.</summary>
    protected abstract void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad);

    /// <summary>Decrypts with the suite's algorithm; throws <see cref="AuthenticationTagMismatchException"/> when the tag does not match.</summary>
    protected abstract void Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad);
}
