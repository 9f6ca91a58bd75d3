using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Tern.Lwm2m.Client.Reporting;
using Tern.Lwm2m.Model;

namespace Tern.Benchmarks.Lwm2m;

/// <summary>
/// One notification evaluation of the reporter in steady state: a Float resource observed with st=1 changes, the
/// driver reports the change, steps the reporter, takes the action and asks for the next wake-up. The data source
/// hands out prebuilt nodes, so the figure is the reporter's own cost (target: at most 512 B per notification).
/// <c>ChangeNotified</c> produces a notification every call; <c>ChangeBelowStep</c> evaluates a change that does
/// not meet st; <c>PmaxNotified</c> is a pmax-driven notification without a change.
/// Run: <c>dotnet run -c Release --project benchmarks/Tern.Benchmarks -- --filter '*ReportingBenchmarks*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class ReportingBenchmarks
{
    private const ushort Ssid = 101;
    private static readonly Lwm2mPath Temperature = new(3303, 0, 5700);
    private static readonly Lwm2mPath Humidity = new(3304, 0, 5700);
    private readonly Source _data = new();
    private Lwm2mReporter _reporter = null!;
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private int _flip;

    /// <summary>Builds the reporter, writes the attributes and observes the resources.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _reporter = new Lwm2mReporter(_data);
        _reporter.AddServer(new ReportingServerSettings(Ssid));
        Check(_reporter.WriteAttributes(Ssid, Temperature, ["st=1"]));
        Check(_reporter.WriteAttributes(Ssid, Humidity, ["pmax=1"]));
        _reporter.Observe(Ssid, Temperature, [1, 2, 3, 4], null, _now);
        _reporter.Observe(Ssid, Humidity, [5, 6, 7, 8], null, _now);
    }

    /// <summary>A change of 10 (meets st): one notification.</summary>
    [Benchmark]
    public int ChangeNotified() => Change(_flip++ % 2 == 0 ? _data.High : _data.Low);

    /// <summary>A change of 0.5 (below st): evaluated, nothing sent.</summary>
    [Benchmark]
    public int ChangeBelowStep() => Change(_flip++ % 2 == 0 ? _data.Near : _data.Low);

    /// <summary>One second later pmax (1 s) forces a notification of the unchanged humidity.</summary>
    [Benchmark]
    public int PmaxNotified()
    {
        _now += TimeSpan.FromSeconds(1);
        _reporter.Step(_now);
        return Drain();
    }

    private int Change(Lwm2mSingleResource value)
    {
        _now += TimeSpan.FromMilliseconds(1);
        _data.Temperature = value;
        _reporter.OnValueChanged(Temperature, _now);
        _reporter.Step(_now);
        return Drain();
    }

    private int Drain()
    {
        int taken = 0;
        while (_reporter.TryTakeAction(out _))
        {
            taken++;
        }

        return taken + (_reporter.NextWakeUp is null ? 0 : 1);
    }

    private static void Check(AttributeWriteResult result)
    {
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException(result.Error);
        }
    }

    private sealed class Source : IReportingDataSource
    {
        public Lwm2mSingleResource Low { get; } = new(5700, Lwm2mValue.FromFloat(20));

        public Lwm2mSingleResource Near { get; } = new(5700, Lwm2mValue.FromFloat(20.5));

        public Lwm2mSingleResource High { get; } = new(5700, Lwm2mValue.FromFloat(30));

        public Lwm2mSingleResource Humidity { get; } = new(5700, Lwm2mValue.FromFloat(55));

        public Lwm2mSingleResource Temperature { get; set; } = null!;

        public bool TryRead(Lwm2mPath path, [NotNullWhen(true)] out Lwm2mNode? node)
        {
            node = path.ObjectId == 3303 ? Temperature ?? Low : Humidity;
            return true;
        }

        public bool TryGetResourceType(Lwm2mPath path, out Lwm2mResourceType type)
        {
            type = Lwm2mResourceType.Float;
            return true;
        }
    }
}
