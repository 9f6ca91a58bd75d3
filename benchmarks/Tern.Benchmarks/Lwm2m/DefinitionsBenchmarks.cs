using System.Buffers;
using BenchmarkDotNet.Attributes;
using Tern.Lwm2m.Definitions.Ddf;
using Tern.Lwm2m.Model;

namespace Tern.Benchmarks.Lwm2m;

/// <summary>
/// Cost of loading object definitions and of the plain-text value conversions codecs lean on.
/// Run: dotnet run -c Release --project benchmarks/Tern.Benchmarks -- --filter '*DefinitionsBenchmarks*'
/// The registry benchmark reads ../shared/lwm2m-registry next to the repository.
/// </summary>
[MemoryDiagnoser]
public class DefinitionsBenchmarks
{
    private byte[] _deviceXml = [];
    private string _registry = string.Empty;
    private readonly ArrayBufferWriter<byte> _output = new(64);
    private readonly Lwm2mValue _float = Lwm2mValue.FromFloat(3.14159);

    [GlobalSetup]
    public void Setup()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Tern.slnx")))
        {
            dir = dir.Parent;
        }

        _registry = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Run from inside the repository."), "..", "shared", "lwm2m-registry");
        _deviceXml = File.ReadAllBytes(Path.Combine(_registry, "3.xml"));
    }

    /// <summary>One DDF (the Device object, 23 resources) from memory.</summary>
    [Benchmark]
    public int LoadDeviceDdf() => DdfObjectLoader.Default.Load(new MemoryStream(_deviceXml), "3.xml").Objects.Count;

    /// <summary>Every file of the OMA registry copy (330 files, 327 objects).</summary>
    [Benchmark]
    public int LoadWholeRegistry() => DdfObjectLoader.Default.LoadDirectory(_registry).Objects.Count;

    /// <summary>Parse an integer from UTF-8 text/plain.</summary>
    [Benchmark]
    public long ParseIntegerUtf8() => Lwm2mValueConverter.ParseUtf8("-1234567"u8, Lwm2mResourceType.Integer).Value.AsInteger();

    /// <summary>Write a float as UTF-8 text/plain into a reused buffer.</summary>
    [Benchmark]
    public int FormatFloatUtf8()
    {
        _output.ResetWrittenCount();
        Lwm2mValueConverter.FormatUtf8(_float, _output);
        return _output.WrittenCount;
    }
}
