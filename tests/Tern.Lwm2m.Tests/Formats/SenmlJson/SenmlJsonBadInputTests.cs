using System.Text;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.SenmlJson;
using Tern.Lwm2m.Model;

namespace Tern.Lwm2m.Tests.Formats.SenmlJson;

public class SenmlJsonBadInputTests
{
    private static readonly SenmlJsonCodec Codec = new(new FixedClock(DateTimeOffset.UnixEpoch.AddYears(50)));

    [Theory]
    [InlineData("", Lwm2mCodecErrorKind.Truncated, 0)]
    [InlineData("[", Lwm2mCodecErrorKind.Truncated, 1)]
    [InlineData("""[{"n":"/3/0/9","v":1""", Lwm2mCodecErrorKind.Truncated, 20)]
    [InlineData("""{"n":"/3/0/9"}""", Lwm2mCodecErrorKind.Malformed, 0)]
    [InlineData("""[1]""", Lwm2mCodecErrorKind.Malformed, 1)]
    [InlineData("""[{"n":"/3/0/9","v":1}] x""", Lwm2mCodecErrorKind.Malformed, 23)]
    [InlineData("""[{"n":"/3/0/9","v":1,}]""", Lwm2mCodecErrorKind.Malformed, 21)]
    [InlineData("""[{"n":"/3/0/9","n":"/3/0/10","v":1}]""", Lwm2mCodecErrorKind.Malformed, 15)]
    [InlineData("""[{"n":"/3/0/9","v":1,"vs":"1"}]""", Lwm2mCodecErrorKind.Malformed, 21)]
    [InlineData("""[{"n":"/3/0/9","v":1,"foo_":1}]""", Lwm2mCodecErrorKind.Malformed, 21)]
    [InlineData("""[{"n":"/3/0/9","vs":"100"}]""", Lwm2mCodecErrorKind.TypeMismatch, 20)]
    [InlineData("""[{"n":"/3/0/9","v":1.5}]""", Lwm2mCodecErrorKind.TypeMismatch, 19)]
    [InlineData("""[{"n":"/3/0/9","v":"1"}]""", Lwm2mCodecErrorKind.TypeMismatch, 19)]
    [InlineData("""[{"n":"/3/0/9","v":1e30}]""", Lwm2mCodecErrorKind.TypeMismatch, 19)]
    [InlineData("""[{"n":"/30000/0/2","v":-1}]""", Lwm2mCodecErrorKind.TypeMismatch, 23)]
    [InlineData("""[{"n":"/30000/0/3","v":1e999}]""", Lwm2mCodecErrorKind.TypeMismatch, 23)]
    [InlineData("""[{"n":"/30000/0/5","vd":"@@"}]""", Lwm2mCodecErrorKind.TypeMismatch, 24)]
    [InlineData("""[{"n":"/30000/0/5","vd":"A"}]""", Lwm2mCodecErrorKind.TypeMismatch, 24)]
    [InlineData("""[{"n":"/30000/0/7","vlo":"3"}]""", Lwm2mCodecErrorKind.TypeMismatch, 25)]
    [InlineData("""[{"n":"/3/0/x","v":1}]""", Lwm2mCodecErrorKind.InvalidPath, 1)]
    [InlineData("""[{"n":"3/0/9","v":1}]""", Lwm2mCodecErrorKind.InvalidPath, 1)]
    [InlineData("""[{"n":"/65535/0/0","v":1}]""", Lwm2mCodecErrorKind.InvalidPath, 1)]
    [InlineData("""[{"n":"/3/0/9/1/2","v":1}]""", Lwm2mCodecErrorKind.InvalidPath, 1)]
    [InlineData("""[{"v":1}]""", Lwm2mCodecErrorKind.InvalidPath, 1)]
    [InlineData("""[{"n":"/3/0","v":1}]""", Lwm2mCodecErrorKind.InvalidPath, 1)]
    [InlineData("""[{"n":7,"v":1}]""", Lwm2mCodecErrorKind.InvalidPath, 6)]
    [InlineData("""[{"n":"/3/0/000000000000000000000000000000000009","v":1}]""", Lwm2mCodecErrorKind.InvalidPath, 6)]
    [InlineData("""[{"n":"/3/0/9","t":"now","v":1}]""", Lwm2mCodecErrorKind.Malformed, 19)]
    [InlineData("""[{"n":"/3/0/9","t":1e300,"v":1}]""", Lwm2mCodecErrorKind.TooLarge, 1)]
    [InlineData("""[{"n":"/3/0/9","vs":"\ud800"}]""", Lwm2mCodecErrorKind.Malformed, 20)]
    public void Bad_payload_is_a_typed_error_at_the_offending_byte(string json, Lwm2mCodecErrorKind kind, int offset)
    {
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> result = Codec.DecodeRecords(Encoding.UTF8.GetBytes(json), TestModel.Instance);
        Assert.False(result.IsSuccess);
        Assert.Equal(kind, result.Error!.Kind);
        Assert.Equal(offset, result.Error.Offset);
    }

    [Fact]
    public void Ten_thousand_nested_arrays_in_a_field_are_refused_as_too_deep()
    {
        string json = """[{"n":"/3/0/9","x":""" + new string('[', 10000) + new string(']', 10000) + "}]";
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> result = Codec.DecodeRecords(Encoding.UTF8.GetBytes(json), TestModel.Instance);
        Assert.Equal(Lwm2mCodecErrorKind.NestingTooDeep, result.Error!.Kind);
        // The record array and the record are two levels; the fifth level is the fourth '[' at offset 22.
        Assert.Equal(22, result.Error.Offset);
    }

    [Fact]
    public void Ten_thousand_nested_arrays_as_the_document_are_refused()
    {
        string json = new string('[', 10000) + new string(']', 10000);
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> result = Codec.DecodeRecords(Encoding.UTF8.GetBytes(json), TestModel.Instance);
        Assert.Equal(Lwm2mCodecErrorKind.Malformed, result.Error!.Kind);
        Assert.Equal(1, result.Error.Offset);
    }

    [Fact]
    public void Invalid_UTF8_is_malformed_at_the_bad_byte()
    {
        byte[] json = [.. """[{"n":"/3/0/0","vs":"A"""u8, 0xC3, 0x28, .. "\"}]"u8];
        Lwm2mCodecResult<IReadOnlyList<Lwm2mRecord>> result = Codec.DecodeRecords(json, TestModel.Instance);
        Assert.Equal(Lwm2mCodecErrorKind.Malformed, result.Error!.Kind);
        Assert.Equal(22, result.Error.Offset);
    }

    [Theory]
    [InlineData("/3/0", """[{"n":"/3/0/9","v":1},{"n":"/3/0/9","v":2}]""", Lwm2mCodecErrorKind.Malformed)]
    [InlineData("/3/0", """[{"n":"/1/0/1","v":1}]""", Lwm2mCodecErrorKind.InvalidPath)]
    [InlineData("/3/0", """[{"n":"/3/0/6","v":1}]""", Lwm2mCodecErrorKind.PathMismatch)]
    [InlineData("/3/0", """[{"n":"/3/0/9"}]""", Lwm2mCodecErrorKind.PathMismatch)]
    [InlineData("/3/0/9", "[]", Lwm2mCodecErrorKind.PathMismatch)]
    [InlineData("/", """[{"n":"/3/0/9","v":1}]""", Lwm2mCodecErrorKind.Unsupported)]
    public void Records_that_do_not_form_the_requested_node_are_refused(string path, string json, Lwm2mCodecErrorKind kind)
    {
        Lwm2mCodecResult<Lwm2mNode> result = Codec.DecodeNode(Encoding.UTF8.GetBytes(json), Lwm2mPath.Parse(path), TestModel.Instance);
        Assert.Equal(kind, result.Error!.Kind);
    }

}
