using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.Tlv;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats.Tlv;

public class TlvBadInputTests
{
    private static readonly TlvCodec Codec = new();

    [Theory]
    // Truncated: header cut, value cut, length field cut.
    [InlineData("/3/0", "C8", Lwm2mCodecErrorKind.Truncated, 0)]
    [InlineData("/3/0", "C10A", Lwm2mCodecErrorKind.Truncated, 0)]
    [InlineData("/3/0", "C303312E", Lwm2mCodecErrorKind.Truncated, 0)]
    [InlineData("/3/0", "C10964C800", Lwm2mCodecErrorKind.Truncated, 3)]
    // Oversized: a 24-bit length claiming 16 MB in a tiny payload.
    [InlineData("/3/0", "D800FFFFFF41", Lwm2mCodecErrorKind.Truncated, 0)]
    // A child overrunning its enclosing TLV (multiple resource of 3 bytes holding a 4-byte instance).
    [InlineData("/3/0", "83064200010000", Lwm2mCodecErrorKind.Malformed, 2)]
    // Mistyped: a 3-byte integer, a 2-byte boolean, a 3-byte float, a boolean of 2, a 5-byte objlnk, bad UTF-8.
    [InlineData("/3/0/9", "C309000001", Lwm2mCodecErrorKind.TypeMismatch, 2)]
    [InlineData("/30000/0/4", "C2040001", Lwm2mCodecErrorKind.TypeMismatch, 2)]
    [InlineData("/30000/0/4", "C10402", Lwm2mCodecErrorKind.TypeMismatch, 2)]
    [InlineData("/30000/0/3", "C303000000", Lwm2mCodecErrorKind.TypeMismatch, 2)]
    [InlineData("/30000/0/7", "C5070000000000", Lwm2mCodecErrorKind.TypeMismatch, 2)]
    [InlineData("/3/0/0", "C200C328", Lwm2mCodecErrorKind.TypeMismatch, 2)]
    // Single where multiple belongs, multiple where single belongs.
    [InlineData("/3/0/6", "C10601", Lwm2mCodecErrorKind.TypeMismatch, 0)]
    [InlineData("/3/0", "8309410064", Lwm2mCodecErrorKind.TypeMismatch, 0)]
    // Wrongly nested: a Resource Instance TLV at the top of an instance payload; an object instance inside one.
    [InlineData("/3/0", "C1096441010A", Lwm2mCodecErrorKind.Malformed, 3)]
    [InlineData("/3/0", "080003000100", Lwm2mCodecErrorKind.Malformed, 3)]
    [InlineData("/3/0/6", "C3060101410001", Lwm2mCodecErrorKind.Malformed, 5)]
    [InlineData("/3", "C10964", Lwm2mCodecErrorKind.Malformed, 0)]
    [InlineData("/3/0/6", "8306C10101", Lwm2mCodecErrorKind.Malformed, 2)]
    // Duplicates.
    [InlineData("/3/0", "C10964C10965", Lwm2mCodecErrorKind.Malformed, 3)]
    [InlineData("/3/0/6", "8606410001410005", Lwm2mCodecErrorKind.Malformed, 5)]
    // Path mismatches and unknown resources.
    [InlineData("/3/0", "0001", Lwm2mCodecErrorKind.PathMismatch, 0)]
    [InlineData("/3/0/9", "C10A64", Lwm2mCodecErrorKind.PathMismatch, 0)]
    [InlineData("/3/0/6/1", "410005", Lwm2mCodecErrorKind.PathMismatch, 0)]
    [InlineData("/3/0", "C16301", Lwm2mCodecErrorKind.UnknownResource, 0)]
    [InlineData("/42/0/1", "C10101", Lwm2mCodecErrorKind.UnknownResource, 0)]
    // Reserved id 65535 and trailing bytes.
    [InlineData("/3/0", "E1FFFF01", Lwm2mCodecErrorKind.InvalidPath, 1)]
    [InlineData("/3/0/9", "C10964C10A0F", Lwm2mCodecErrorKind.Malformed, 3)]
    [InlineData("/3/0/4", "C004", Lwm2mCodecErrorKind.TypeMismatch, 2)]
    public void Bad_payload_is_a_typed_error_at_the_offending_byte(string path, string hex, Lwm2mCodecErrorKind kind, int offset)
    {
        Lwm2mCodecResult<Lwm2mNode> result = Codec.DecodeNode(Convert.FromHexString(hex), Lwm2mPath.Parse(path), TestModel.Instance);
        Assert.False(result.IsSuccess);
        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal(offset, result.Error.Offset);
    }

    [Fact]
    public void Random_bytes_and_mutations_of_the_TS_example_never_throw()
    {
        var rng = new Random(7);
        byte[] example = Convert.FromHexString(DeviceExample.TlvHex);
        Lwm2mPath[] paths = [new(3), new(3, 0), new(3, 0, 6), new(3, 0, 6, 1), new(30000, 1, 15)];
        int failures = 0;
        for (int n = 0; n < 20000; n++)
        {
            byte[] input;
            if (n % 2 == 0)
            {
                input = new byte[rng.Next(0, 40)];
                rng.NextBytes(input);
            }
            else
            {
                input = (byte[])example.Clone();
                for (int m = rng.Next(1, 4); m > 0; m--)
                {
                    input[rng.Next(input.Length)] = (byte)rng.Next(256);
                }

                input = input[..rng.Next(input.Length + 1)];
            }

            Lwm2mCodecResult<Lwm2mNode> result = Codec.DecodeNode(input, paths[rng.Next(paths.Length)], TestModel.Instance);
            if (!result.IsSuccess)
            {
                failures++;
                Assert.InRange(result.Error!.Offset, 0, input.Length);
            }
        }

        Assert.InRange(failures, 1000, 20000);
    }
}
