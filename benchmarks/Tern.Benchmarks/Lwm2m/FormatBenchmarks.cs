using System.Buffers;
using BenchmarkDotNet.Attributes;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Model;

namespace Tern.Benchmarks.Lwm2m;

/// <summary>
/// Encode and decode of the LwM2M TS's Device object instance /3/0 (resources 0, 1, 2, 3, 6, 7, 8, 9, 10,
/// 11, 13, 14, 16 with the values of the TS's TLV example) in every format that can carry an instance.
/// Encoding goes into one reused, caller-supplied buffer (target: 0 B allocated); decoding uses the
/// built-in object definitions (target: about the cost of the tree it returns, see DecodeAllocationTests).
/// Run: <c>dotnet run -c Release --project benchmarks/Tern.Benchmarks -- --filter '*FormatBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class FormatBenchmarks
{
    private static readonly Lwm2mPath DevicePath = new(3, 0);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly IObjectDefinitionProvider _model = new ObjectDefinitionRegistry();
    private ILwm2mContentCodec _codec = null!;
    private byte[] _payload = [];

    /// <summary>The format under test, by its CLI name.</summary>
    [Params("tlv", "senml-json", "senml-cbor", "lwm2m-cbor", "json")]
    public string Format { get; set; } = "tlv";

    /// <summary>Picks the codec and encodes once so the decode benchmark has input.</summary>
    [GlobalSetup]
    public void Setup()
    {
        if (!Lwm2mContentFormatRegistry.Default.TryGet(Format, out ILwm2mContentCodec? codec))
        {
            throw new InvalidOperationException($"No codec named {Format}.");
        }

        _codec = codec;
        if (_codec.EncodeNode(DevicePath, Device, _buffer) is { } error)
        {
            throw new InvalidOperationException(error.Message);
        }

        _payload = _buffer.WrittenSpan.ToArray();
        Console.WriteLine($"// {Format}: the Device instance encodes to {_payload.Length} bytes");
    }

    /// <summary>Encodes the instance into the reused buffer.</summary>
    [Benchmark]
    public int Encode()
    {
        _buffer.ResetWrittenCount();
        _codec.EncodeNode(DevicePath, Device, _buffer);
        return _buffer.WrittenCount;
    }

    /// <summary>Decodes the instance into a node tree.</summary>
    [Benchmark]
    public Lwm2mNode? Decode() => _codec.DecodeNode(_payload, DevicePath, _model).Value;

    /// <summary>The Device instance of the TS's TLV example (TS 1.0 §6.4.3.1).</summary>
    internal static Lwm2mObjectInstance Device { get; } = new(0,
    [
        new Lwm2mSingleResource(0, Lwm2mValue.FromString("Open Mobile Alliance")),
        new Lwm2mSingleResource(1, Lwm2mValue.FromString("Lightweight M2M Client")),
        new Lwm2mSingleResource(2, Lwm2mValue.FromString("345000123")),
        new Lwm2mSingleResource(3, Lwm2mValue.FromString("1.0")),
        Multi(6, 1, 5),
        Multi(7, 3800, 5000),
        Multi(8, 125, 900),
        new Lwm2mSingleResource(9, Lwm2mValue.FromInteger(100)),
        new Lwm2mSingleResource(10, Lwm2mValue.FromInteger(15)),
        Multi(11, 0),
        new Lwm2mSingleResource(13, Lwm2mValue.FromUnixTime(0x5182428F)),
        new Lwm2mSingleResource(14, Lwm2mValue.FromString("+02:00")),
        new Lwm2mSingleResource(16, Lwm2mValue.FromString("U")),
    ]);

    private static Lwm2mMultipleResource Multi(int id, params long[] values) =>
        new(id, Lwm2mResourceType.Integer, [.. values.Select((v, k) => new Lwm2mResourceInstance(k, Lwm2mValue.FromInteger(v)))]);
}
