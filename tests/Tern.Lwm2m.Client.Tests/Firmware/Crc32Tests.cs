using System.Text;
using Tern.Lwm2m.Client.Firmware;

namespace Tern.Lwm2m.Client.Tests.Firmware;

public class Crc32Tests
{
    // Check values of CRC-32/ISO-HDLC (the zlib/PNG CRC) from the CRC catalogue and zlib's own test strings.
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("123456789", 0xCBF43926u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Crc_of_a_known_string_is_the_catalogue_value(string text, uint expected) =>
        Assert.Equal(expected, Crc32.Compute(Encoding.ASCII.GetBytes(text)));

    [Fact]
    public void Crc_fed_in_random_pieces_equals_the_crc_of_the_whole()
    {
        var random = new Random(7);
        for (int round = 0; round < 50; round++)
        {
            byte[] data = Images.Random(random.Next(0, 5000), round);
            var crc = default(Crc32);
            int at = 0;
            while (at < data.Length)
            {
                int piece = random.Next(0, data.Length - at + 1);
                crc.Append(data.AsSpan(at, piece));
                at += piece;
            }

            Assert.Equal(Crc32.Compute(data), crc.Value);
        }
    }

    [Fact]
    public void Crc_changes_when_any_single_bit_flips()
    {
        byte[] data = Images.Random(256, 3);
        uint original = Crc32.Compute(data);
        for (int bit = 0; bit < data.Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(original, Crc32.Compute(data));
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }
}
