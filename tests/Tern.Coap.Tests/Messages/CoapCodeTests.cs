using Tern.Coap.Messages;

namespace Tern.Coap.Tests.Messages;

public class CoapCodeTests
{
    [Theory]
    [InlineData(0, 0, 0x00, "0.00")]
    [InlineData(0, 1, 0x01, "0.01")]
    [InlineData(2, 5, 0x45, "2.05")]
    [InlineData(4, 4, 0x84, "4.04")]
    [InlineData(5, 31, 0xbf, "5.31")]
    [InlineData(7, 31, 0xff, "7.31")]
    public void Code_packs_class_into_the_top_three_bits_and_detail_into_the_low_five(int codeClass, int detail, int value, string text)
    {
        var code = new CoapCode(codeClass, detail);

        Assert.Equal((byte)value, code.Value);
        Assert.Equal(codeClass, code.Class);
        Assert.Equal(detail, code.Detail);
        Assert.Equal(text, code.ToString());
    }

    [Theory]
    [InlineData(8, 0)]
    [InlineData(-1, 0)]
    [InlineData(0, 32)]
    [InlineData(2, -1)]
    [InlineData(255, 255)]
    public void Class_or_detail_out_of_range_is_an_argument_error(int codeClass, int detail)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CoapCode(codeClass, detail));
    }

    [Fact]
    public void Code_classes_are_told_apart()
    {
        Assert.True(CoapCode.Empty.IsEmpty);
        Assert.False(CoapCode.Empty.IsRequest);
        Assert.True(CoapCode.Get.IsRequest);
        Assert.True(CoapCode.Content.IsResponse && CoapCode.Content.IsSuccess);
        Assert.True(CoapCode.BadOption.IsResponse && !CoapCode.BadOption.IsSuccess);
        Assert.False(new CoapCode(1, 0).IsRequest || new CoapCode(1, 0).IsResponse);
        Assert.False(new CoapCode(6, 0).IsResponse);
    }
}
