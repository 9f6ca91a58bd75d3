using System.Buffers;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;
using Xunit.Abstractions;

namespace Tern.Lwm2m.Tests.Formats;

/// <summary>
/// The encoded size of the TS's Device instance /3/0 in each format that can carry an instance: the table in
/// README.md ("Payload sizes"). The sizes are pinned so the README cannot drift silently; print the table with
/// <c>dotnet test tests/Tern.Lwm2m.Tests --filter PayloadSizeTests --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class PayloadSizeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Lwm2mContentFormat.Tlv, 121)] // the TS prints these 121 bytes
    [InlineData(Lwm2mContentFormat.SenmlJson, 384)] // the TS's SenML JSON text, byte for byte
    [InlineData(Lwm2mContentFormat.SenmlCbor, 196)]
    [InlineData(Lwm2mContentFormat.Lwm2mCbor, 119)]
    [InlineData(Lwm2mContentFormat.OmaJson, 390)] // the TS's OMA JSON text, byte for byte
    public void Device_instance_encodes_to_the_size_in_the_readme(ushort format, int bytes)
    {
        Assert.Equal(bytes, Encode(format).Length);
    }

    [Fact]
    public void The_text_formats_are_exactly_as_long_as_the_TS_examples()
    {
        // Independent of the encoder: the TS's own texts and TLV bytes have these lengths.
        Assert.Equal(121, DeviceExample.TlvHex.Length / 2);
        Assert.Equal(384, DeviceJsonExamples.SenmlJson.Length);
        Assert.Equal(390, DeviceJsonExamples.OmaJson.Length);
    }

    [Fact]
    public void Size_table_prints_in_readme_form()
    {
        (string Name, ushort Format)[] formats =
        [
            ("TLV (11542)", Lwm2mContentFormat.Tlv), ("SenML JSON (110)", Lwm2mContentFormat.SenmlJson), ("SenML CBOR (112)", Lwm2mContentFormat.SenmlCbor),
            ("LwM2M CBOR (11544)", Lwm2mContentFormat.Lwm2mCbor), ("OMA JSON (11543)", Lwm2mContentFormat.OmaJson),
        ];
        output.WriteLine("| format | bytes |");
        output.WriteLine("|---|---:|");
        foreach ((string name, ushort format) in formats)
        {
            int size = Encode(format).Length;
            Assert.InRange(size, 100, 400);
            output.WriteLine($"| {name} | {size} |");
        }
    }

    private static byte[] Encode(ushort format)
    {
        Assert.True(Lwm2mContentFormatRegistry.Default.TryGet(format, out ILwm2mContentCodec? codec));
        var buffer = new ArrayBufferWriter<byte>();
        Assert.Null(codec.EncodeNode(new Lwm2mPath(3, 0), DeviceExample.Instance, buffer));
        return buffer.WrittenSpan.ToArray();
    }
}
