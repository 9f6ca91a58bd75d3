namespace Tern.Coap.Dtls.Native;

/// <summary>
/// Reassembles the one handshake message a server expects next from its fragments (RFC 6347 §4.2.3), in any order
/// and overlapping. Bounded: a message longer than <see cref="MaxMessageLength"/> is refused, and only one message
/// is buffered (fragments of later messages are dropped; the client retransmits its whole flight).
/// </summary>
internal sealed class HandshakeReassembler
{
    public const int MaxMessageLength = 8192;
    private byte[]? _buffer;
    private bool[]? _have;
    private int _received;
    private byte _type;

    /// <summary>Adds a fragment; returns the whole body once every byte arrived, else null. Inconsistent fragments are ignored.</summary>
    public byte[]? Add(HandshakeFragment fragment, ReadOnlySpan<byte> body)
    {
        if (fragment.Length > MaxMessageLength)
        {
            return null;
        }

        if (fragment.IsWhole)
        {
            Reset();
            return body.ToArray();
        }

        if (_buffer is null)
        {
            _buffer = new byte[fragment.Length];
            _have = new bool[fragment.Length];
            _type = fragment.Type;
            _received = 0;
        }
        else if (_buffer.Length != fragment.Length || _type != fragment.Type)
        {
            return null;
        }

        body.CopyTo(_buffer.AsSpan(fragment.FragmentOffset));
        for (int i = fragment.FragmentOffset; i < fragment.FragmentOffset + fragment.FragmentLength; i++)
        {
            if (!_have![i])
            {
                _have[i] = true;
                _received++;
            }
        }

        if (_received < _buffer.Length)
        {
            return null;
        }

        byte[] whole = _buffer;
        Reset();
        return whole;
    }

    public void Reset()
    {
        _buffer = null;
        _have = null;
        _received = 0;
    }
}
