namespace Tern.Lwm2m.Client.Firmware;

/// <summary>
/// CRC-32 as zlib, PNG and Ethernet compute it (reflected polynomial 0xEDB88320, initial value and final XOR
/// 0xFFFFFFFF), fed incrementally so a package is checked while it streams, never held whole.
/// </summary>
public struct Crc32
{
    private static readonly uint[] Table = BuildTable();
    private uint _state;
    private bool _started;

    /// <summary>The CRC of everything appended so far.</summary>
    public readonly uint Value => ~(_started ? _state : 0xFFFFFFFFu);

    /// <summary>Computes the CRC of <paramref name="data"/> in one go.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = default(Crc32);
        crc.Append(data);
        return crc.Value;
    }

    /// <summary>Folds <paramref name="data"/> into the running CRC.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        uint state = _started ? _state : 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            state = Table[(state ^ b) & 0xFF] ^ (state >> 8);
        }

        _state = state;
        _started = true;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
