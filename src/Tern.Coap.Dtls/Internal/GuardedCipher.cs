using Org.BouncyCastle.Crypto.Tls;

namespace Tern.Coap.Dtls.Internal;

/// <summary>
/// Wraps the negotiated record cipher. BouncyCastle 1.8.10 lets a record that fails authentication escape as a
/// fatal bad_record_mac, which would let any forged datagram kill a live session. The session therefore asks
/// <see cref="TryVerify"/> to authenticate every protected record of a datagram before BouncyCastle sees it,
/// drops the datagram when one fails (RFC 6347 §4.1.2.7: invalid records are silently discarded), and hands
/// BouncyCastle the already decrypted plaintext so nothing is decrypted twice.
/// </summary>
internal sealed class GuardedCipher : TlsCipher
{
    private readonly TlsCipher _inner;
    private readonly HandshakeMonitor _monitor;
    private readonly Dictionary<long, byte[]> _verified = [];

    public GuardedCipher(TlsCipher inner, HandshakeMonitor monitor)
    {
        _inner = inner;
        _monitor = monitor;
    }

    public int GetPlaintextLimit(int ciphertextLimit) => _inner.GetPlaintextLimit(ciphertextLimit);

    public byte[] EncodePlaintext(long seqNo, byte type, byte[] plaintext, int offset, int len) =>
        _inner.EncodePlaintext(seqNo, type, plaintext, offset, len);

    public byte[] DecodeCiphertext(long seqNo, byte type, byte[] ciphertext, int offset, int len)
    {
        if (_verified.Remove(seqNo, out byte[]? plaintext))
        {
            return plaintext;
        }

        try
        {
            return _inner.DecodeCiphertext(seqNo, type, ciphertext, offset, len);
        }
        catch (Exception)
        {
            _monitor.DecryptFailures++;
            throw;
        }
    }

    /// <summary>Authenticates one record; keeps its plaintext for the following <see cref="DecodeCiphertext"/>.</summary>
    public bool TryVerify(long seqNo, byte type, byte[] record, int offset, int len)
    {
        try
        {
            _verified[seqNo] = _inner.DecodeCiphertext(seqNo, type, record, offset, len);
            return true;
        }
#pragma warning disable CA1031 // Any failure to authenticate means "drop this record".
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    /// <summary>Forgets plaintexts BouncyCastle did not ask for (replayed records it discarded unread).</summary>
    public void ClearVerified() => _verified.Clear();
}
