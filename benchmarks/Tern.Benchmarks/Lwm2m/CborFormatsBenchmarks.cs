using System.Buffers;
using BenchmarkDotNet.Attributes;
using Tern.Lwm2m.Definitions;
using Tern.Lwm2m.Formats;
using Tern.Lwm2m.Formats.Lwm2mCbor;
using Tern.Lwm2m.Formats.SenmlCbor;
using Tern.Lwm2m.Model;

namespace Tern.Benchmarks.Lwm2m;

/// <summary>
/// Encode and decode of the TS's Device object instance (/3/0) in the CBOR-based formats.
/// Run: <c>dotnet run -c Release --project benchmarks/Tern.Benchmarks -- --filter '*CborFormats*'</c>.
/// </summary>
[MemoryDiagnoser]
public class CborFormatsBenchmarks
{
    private static readonly Lwm2mPath DevicePath = new(3, 0);
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Lwm2mObjectInstance _device = DeviceInstance();
    private ILwm2mContentCodec _codec = null!;
    private byte[] _encoded = [];

    /// <summary>The format under test.</summary>
    [Params(Lwm2mContentFormat.SenmlCbor, Lwm2mContentFormat.Lwm2mCbor)]
    public ushort Format { get; set; }

    /// <summary>Encodes once so the decode benchmark has input.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _codec = Format == Lwm2mContentFormat.SenmlCbor ? new SenmlCborCodec() : new Lwm2mCborCodec();
        _buffer.ResetWrittenCount();
        _codec.EncodeNode(DevicePath, _device, _buffer);
        _encoded = _buffer.WrittenSpan.ToArray();
        Console.WriteLine($"// {_codec.Name}: Device /3/0 encodes to {_encoded.Length} bytes");
    }

    /// <summary>Encodes the instance into a reused buffer.</summary>
    [Benchmark]
    public int Encode()
    {
        _buffer.ResetWrittenCount();
        _codec.EncodeNode(DevicePath, _device, _buffer);
        return _buffer.WrittenCount;
    }

    /// <summary>Decodes the instance into nodes.</summary>
    [Benchmark]
    public Lwm2mNode? Decode() => _codec.DecodeNode(_encoded, DevicePath, NoModel.Instance).Value;

    private static Lwm2mObjectInstance DeviceInstance()
    {
        static Lwm2mMultipleResource Multi(int id, params long[] values) =>
            new(id, Lwm2mResourceType.Integer, values.Select((v, i) => new Lwm2mResourceInstance(i, Lwm2mValue.FromInteger(v))).ToList());

        return new Lwm2mObjectInstance(0,
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
            new Lwm2mSingleResource(13, Lwm2mValue.FromUnixTime(1367491215)),
            new Lwm2mSingleResource(14, Lwm2mValue.FromString("+02:00")),
            new Lwm2mSingleResource(16, Lwm2mValue.FromString("U")),
        ]);
    }

    /// <summary>No definitions: values decode to their natural types (the built-in Device definition lives on another branch).</summary>
    private sealed class NoModel : IObjectDefinitionProvider
    {
        public static readonly NoModel Instance = new();

        public ObjectDefinition? GetObject(int objectId) => null;
    }
}
