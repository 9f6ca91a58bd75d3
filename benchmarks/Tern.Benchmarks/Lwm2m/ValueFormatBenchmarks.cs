using System.Buffers;
using BenchmarkDotNet.Attributes;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.OmaJson;
using Tern.Lwm2m.Formats.SenmlJson;
using Tern.Lwm2m.Formats.Tlv;
using Tern.Lwm2m.Model;

namespace Tern.Benchmarks.Lwm2m;

/// <summary>
/// Encode and decode of the TS example Device object instance in TLV, SenML JSON and OMA JSON
/// (the CBOR formats live with their own benchmarks). Encoding goes into a reused buffer.
/// </summary>
[MemoryDiagnoser]
public class ValueFormatBenchmarks
{
    private static readonly Lwm2mPath Path = new(3, 0);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly DeviceModel _model = new();
    private ILwm2mContentCodec _codec = null!;
    private byte[] _payload = [];

    /// <summary>The format under test.</summary>
    [Params("tlv", "senml-json", "json")]
    public string Format { get; set; } = "tlv";

    [GlobalSetup]
    public void Setup()
    {
        _codec = Format switch
        {
            "tlv" => new TlvCodec(),
            "senml-json" => new SenmlJsonCodec(),
            _ => new OmaJsonCodec(),
        };
        _codec.EncodeNode(Path, Device, _buffer);
        _payload = _buffer.WrittenSpan.ToArray();
        Console.WriteLine($"// {Format}: Device instance is {_payload.Length} bytes");
    }

    [Benchmark]
    public int Encode()
    {
        _buffer.ResetWrittenCount();
        _codec.EncodeNode(Path, Device, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public Lwm2mNode? Decode() => _codec.DecodeNode(_payload, Path, _model).Value;

    private static Lwm2mObjectInstance Device { get; } = new(0,
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

    /// <summary>Just the Device resources the example uses, so the benchmark does not depend on the built-in model.</summary>
    private sealed class DeviceModel : IObjectDefinitionProvider
    {
        private readonly ObjectDefinition _device = new(3, "Device", "1.0", "1.0", false, true, "urn:oma:lwm2m:oma:3",
            new Dictionary<int, ResourceDefinition>
            {
                [0] = R(0, Lwm2mResourceType.String), [1] = R(1, Lwm2mResourceType.String), [2] = R(2, Lwm2mResourceType.String),
                [3] = R(3, Lwm2mResourceType.String), [6] = R(6, Lwm2mResourceType.Integer, true), [7] = R(7, Lwm2mResourceType.Integer, true),
                [8] = R(8, Lwm2mResourceType.Integer, true), [9] = R(9, Lwm2mResourceType.Integer), [10] = R(10, Lwm2mResourceType.Integer),
                [11] = R(11, Lwm2mResourceType.Integer, true), [13] = R(13, Lwm2mResourceType.Time), [14] = R(14, Lwm2mResourceType.String),
                [16] = R(16, Lwm2mResourceType.String),
            });

        public ObjectDefinition? GetObject(int objectId) => objectId == 3 ? _device : null;

        private static ResourceDefinition R(int id, Lwm2mResourceType type, bool multiple = false) =>
            new(id, $"r{id}", Lwm2mOperations.Read, multiple, false, type);
    }
}
