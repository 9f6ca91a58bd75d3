using BenchmarkDotNet.Attributes;
using Tern.Coap.Messages;
using Tern.Lwm2m.Client.Configuration;
using Tern.Lwm2m.Client.Engine;

namespace Tern.Benchmarks.ClientCost;

/// <summary>
/// The sans-I/O client engine's cost per registration Update: one operation is a whole Update cycle of a registered
/// client (Step at the engine's next wake-up, which sends the Update; the 2.04 fed back through OnResponse; the
/// actions and events drained as a driver would). Allocation per operation is the figure to watch (target 1 KB).
/// Run: dotnet run -c Release --project benchmarks/Tern.Benchmarks -- --filter '*ClientEngineBenchmarks*' --job short --inProcess
/// (in-process: on a busy machine BenchmarkDotNet's generated project can exceed its 2-minute build limit).
/// </summary>
[MemoryDiagnoser]
public class ClientEngineBenchmarks
{
    private static readonly string[] Location = ["rd", "5a3f"];
    private Lwm2mClientEngine _engine = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new Lwm2mClientConfiguration(
            [new Lwm2mSecurityInstance(1, "coap://192.0.2.1:5683", false, Lwm2mSecurityMode.NoSec) { ShortServerId = 101 }],
            [new Lwm2mServerInstance(0, 101, TimeSpan.FromSeconds(300))]);
        _engine = new Lwm2mClientEngine(configuration, new Lwm2mClientOptions("bench-node") { Objects = [new(1, "1.1", [0]), new(3, null, [0]), new(3303, null, [0, 1])] });
        _now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _engine.Start();
        _engine.Step(_now);
        Answer(CoapCode.Created, Location);
        if (_engine.State != Lwm2mClientState.RegistrationSession)
        {
            throw new InvalidOperationException($"The engine did not register (state {_engine.State}).");
        }
    }

    /// <summary>One Update: wake up, send, get 2.04, drain.</summary>
    [Benchmark]
    public Lwm2mClientState UpdateCycle()
    {
        _now = _engine.NextWakeUp ?? throw new InvalidOperationException("A registered engine always has a next Update.");
        _engine.Step(_now);
        Answer(CoapCode.Changed, []);
        return _engine.State;
    }

    private void Answer(CoapCode code, IReadOnlyList<string> location)
    {
        long? id = null;
        while (_engine.TryTakeAction(out Lwm2mClientAction action))
        {
            if (action is Lwm2mSendRequest send)
            {
                id = send.ExchangeId;
            }
        }

        while (_engine.TryTakeEvent(out _))
        {
        }

        if (id is { } exchange)
        {
            _engine.OnResponse(exchange, code, location, _now);
            while (_engine.TryTakeEvent(out _))
            {
            }

            while (_engine.TryTakeAction(out _))
            {
            }
        }
    }
}
