namespace Tern.Coap.Dtls.Native;

/// <summary>
/// The anti-replay sliding window of RFC 6347 §4.1.2.6 over 48-bit record sequence numbers of one epoch: a record is
/// checked before decryption (<see cref="IsFresh"/>) and marked only once it authenticated (<see cref="Mark"/>), so a
/// forged record cannot move the window.
/// </summary>
internal struct ReplayWindow
{
    public const int Size = 64;
    private ulong _bitmap;
    private long _highest;
    private bool _any;

    public readonly bool IsFresh(long sequence)
    {
        if (!_any || sequence > _highest)
        {
            return true;
        }

        long age = _highest - sequence;
        return age < Size && (_bitmap & (1UL << (int)age)) == 0;
    }

    public void Mark(long sequence)
    {
        if (!_any)
        {
            _any = true;
            _highest = sequence;
            _bitmap = 1;
            return;
        }

        if (sequence > _highest)
        {
            long shift = sequence - _highest;
            _bitmap = shift >= Size ? 1 : (_bitmap << (int)shift) | 1;
            _highest = sequence;
            return;
        }

        long age = _highest - sequence;
        if (age < Size)
        {
            _bitmap |= 1UL << (int)age;
        }
    }
}
