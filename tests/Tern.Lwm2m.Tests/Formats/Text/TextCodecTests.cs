using System.Buffers;
using System.Text;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.Text;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats.Text;

public class TextCodecTests
{
    private static readonly TextCodec Codec = new();

    private static Lwm2mCodecResult<Lwm2mNode> Decode(string text, string path) =>
        Codec.DecodeNode(Encoding.UTF8.GetBytes(text), Lwm2mPath.Parse(path), TestModel.Instance);

    public static TheoryData<string, string, Lwm2mValue> Examples => new()
    {
        { "/3/0/0", "Open Mobile Alliance", Lwm2mValue.FromString("Open Mobile Alliance") },
        { "/3/0/9", "100", Lwm2mValue.FromInteger(100) },
        { "/3/0/9", "-9223372036854775808", Lwm2mValue.FromInteger(long.MinValue) },
        { "/3/0/13", "1367491215", Lwm2mValue.FromUnixTime(1367491215) },
        { "/30000/0/2", "18446744073709551615", Lwm2mValue.FromUnsignedInteger(ulong.MaxValue) },
        { "/30000/0/3", "1.5", Lwm2mValue.FromFloat(1.5) },
        { "/30000/0/3", "-0.1", Lwm2mValue.FromFloat(-0.1) },
        { "/30000/0/3", "1E+300", Lwm2mValue.FromFloat(1e300) },
        { "/30000/0/4", "1", Lwm2mValue.FromBoolean(true) },
        { "/30000/0/4", "0", Lwm2mValue.FromBoolean(false) },
        { "/30000/0/5", "AQID/w==", Lwm2mValue.FromOpaque([1, 2, 3, 255]) },
        { "/30000/0/7", "3:0", Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(3, 0)) },
        { "/30000/0/8", "</3/0>;ct=11542", Lwm2mValue.FromCoreLink("</3/0>;ct=11542") },
        { "/30000/0/0", "", Lwm2mValue.FromString("") },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Single_values_are_written_and_read_as_the_TS_text_form(string path, string text, Lwm2mValue value)
    {
        var node = new Lwm2mSingleResource(Lwm2mPath.Parse(path).ResourceId!.Value, value);
        Assert.Equal(text, Encoding.UTF8.GetString(RandomTrees.Encode(Codec, Lwm2mPath.Parse(path), node)));
        Lwm2mCodecResult<Lwm2mNode> back = Decode(text, path);
        Assert.True(back.IsSuccess, back.Error?.ToString());
        Assert.Equal<Lwm2mNode>(node, back.Value);
    }

    [Fact]
    public void Resource_instance_of_a_multiple_resource_is_one_text_value()
    {
        var node = new Lwm2mResourceInstance(1, Lwm2mValue.FromInteger(5000));
        Assert.Equal("5000", Encoding.UTF8.GetString(RandomTrees.Encode(Codec, new Lwm2mPath(3, 0, 7, 1), node)));
        Assert.Equal<Lwm2mNode>(node, Decode("5000", "/3/0/7/1").Value);
    }

    [Fact]
    public void Random_values_of_every_type_round_trip()
    {
        var rng = new Random(0);
        for (int n = 0; n < 5000; n++)
        {
            int t = rng.Next(TestModel.ValueTypes.Length);
            Lwm2mNode node;
            Lwm2mPath path;
            if (n % 2 == 0)
            {
                node = RandomTrees.Single(rng, t);
                path = new Lwm2mPath(TestModel.AllTypesObject, 0, t);
            }
            else
            {
                node = new Lwm2mResourceInstance(7, RandomTrees.Value(rng, TestModel.ValueTypes[t]));
                path = new Lwm2mPath(TestModel.AllTypesObject, 0, 10 + t, 7);
            }

            Lwm2mCodecResult<Lwm2mNode> back = Codec.DecodeNode(RandomTrees.Encode(Codec, path, node), path, TestModel.Instance);
            Assert.True(back.IsSuccess, $"case {n}: {back.Error}");
            Assert.Equal(node, back.Value);
        }
    }

    [Theory]
    [InlineData("/3/0/9", "abc", Lwm2mCodecErrorKind.TypeMismatch)]
    [InlineData("/3/0/9", " 5", Lwm2mCodecErrorKind.TypeMismatch)]
    [InlineData("/3/0/9", "1.5", Lwm2mCodecErrorKind.TypeMismatch)]
    [InlineData("/3/0/9", "9223372036854775808", Lwm2mCodecErrorKind.TooLarge)]
    [InlineData("/30000/0/2", "-1", Lwm2mCodecErrorKind.TypeMismatch)]
    [InlineData("/30000/0/3", "1,5", Lwm2mCodecErrorKind.TypeMismatch)]
    [InlineData("/30000/0/4", "true", Lwm2mCodecErrorKind.TypeMismatch)]
    [InlineData("/30000/0/4", "2", Lwm2mCodecErrorKind.TypeMismatch)]
    [InlineData("/30000/0/5", "not base64!", Lwm2mCodecErrorKind.Malformed)]
    [InlineData("/30000/0/7", "3", Lwm2mCodecErrorKind.TypeMismatch)]
    [InlineData("/30000/0/7", "65536:0", Lwm2mCodecErrorKind.TypeMismatch)]
    [InlineData("/3/0/4", "", Lwm2mCodecErrorKind.TypeMismatch)]
    [InlineData("/3/0/6", "1", Lwm2mCodecErrorKind.Unsupported)]
    [InlineData("/3/0", "1", Lwm2mCodecErrorKind.Unsupported)]
    [InlineData("/", "1", Lwm2mCodecErrorKind.Unsupported)]
    [InlineData("/42/0/0", "1", Lwm2mCodecErrorKind.UnknownResource)]
    [InlineData("/3/0/99", "1", Lwm2mCodecErrorKind.UnknownResource)]
    public void Text_that_does_not_fit_the_resource_is_a_typed_error(string path, string text, Lwm2mCodecErrorKind kind)
    {
        Lwm2mCodecResult<Lwm2mNode> result = Decode(text, path);
        Assert.False(result.IsSuccess);
        Assert.Equal(kind, result.Error!.Kind);
    }

    [Fact]
    public void Invalid_UTF8_in_a_string_resource_is_malformed_at_the_bad_byte()
    {
        Lwm2mCodecResult<Lwm2mNode> result = Codec.DecodeNode([0x41, 0xC3, 0x28], new Lwm2mPath(3, 0, 0), TestModel.Instance);
        Assert.Equal(Lwm2mCodecErrorKind.Malformed, result.Error!.Kind);
        Assert.Equal(1, result.Error.Offset);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public void A_float_is_a_decimal_number_so_NaN_and_infinities_are_refused(string text)
    {
        Lwm2mCodecResult<Lwm2mNode> result = Decode(text, $"/{TestModel.AllTypesObject}/0/3");
        Assert.Equal(Lwm2mCodecErrorKind.TypeMismatch, result.Error!.Kind);
    }

    [Fact]
    public void A_NaN_float_cannot_be_written_as_text()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Lwm2mCodecError? error = Codec.EncodeNode(new Lwm2mPath(TestModel.AllTypesObject, 0, 3), new Lwm2mSingleResource(3, Lwm2mValue.FromFloat(double.NaN)), buffer);
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, error!.Kind);
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Instances_and_multiple_resources_cannot_be_text()
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Equal("4.06", Codec.EncodeNode(new Lwm2mPath(3, 0), DeviceExample.Instance, buffer)!.SuggestedCoapCode);
        Assert.Equal(Lwm2mCodecErrorKind.Unsupported, Codec.EncodeNode(new Lwm2mPath(3, 0, 6), DeviceExample.Multi(6, 1), buffer)!.Kind);
        Assert.Equal(0, buffer.WrittenCount);
    }

    [Fact]
    public void Encoding_numbers_and_strings_into_a_supplied_buffer_allocates_nothing()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        var nodes = new (Lwm2mPath, Lwm2mNode)[]
        {
            (new Lwm2mPath(3, 0, 0), DeviceExample.Instance.Resources[0]),
            (new Lwm2mPath(3, 0, 9), new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(100))),
            (new Lwm2mPath(30000, 0, 3), new Lwm2mSingleResource(3, Lwm2mValue.FromFloat(0.1))),
            (new Lwm2mPath(30000, 0, 5), new Lwm2mSingleResource(5, Lwm2mValue.FromOpaque([1, 2, 3]))),
            (new Lwm2mPath(30000, 0, 7), new Lwm2mSingleResource(7, Lwm2mValue.FromObjectLink(new Lwm2mObjectLink(3, 0)))),
        };
        foreach ((Lwm2mPath p, Lwm2mNode node) in nodes)
        {
            Codec.EncodeNode(p, node, buffer);
        }

        buffer.ResetWrittenCount();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < nodes.Length; k++)
        {
            Codec.EncodeNode(nodes[k].Item1, nodes[k].Item2, buffer);
            buffer.ResetWrittenCount();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Random_bytes_for_every_type_never_throw()
    {
        var rng = new Random(1);
        byte[] alphabet = "0123456789+-.eE:/=AZaz \\"u8.ToArray();
        int failures = 0;
        for (int n = 0; n < 20000; n++)
        {
            byte[] input = [.. Enumerable.Range(0, rng.Next(0, 24)).Select(_ => rng.Next(6) == 0 ? (byte)rng.Next(256) : alphabet[rng.Next(alphabet.Length)])];
            var path = new Lwm2mPath(TestModel.AllTypesObject, 0, rng.Next(TestModel.ValueTypes.Length));
            Lwm2mCodecResult<Lwm2mNode> result = Codec.DecodeNode(input, path, TestModel.Instance);
            if (!result.IsSuccess)
            {
                failures++;
                Assert.Contains(result.Error!.Kind, new[] { Lwm2mCodecErrorKind.TypeMismatch, Lwm2mCodecErrorKind.TooLarge, Lwm2mCodecErrorKind.Malformed });
            }
        }

        Assert.InRange(failures, 5000, 20000);
    }
}
