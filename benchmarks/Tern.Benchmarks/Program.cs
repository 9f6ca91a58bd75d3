using BenchmarkDotNet.Running;
using Tern.Benchmarks.Dtls;
using Tern.Benchmarks.Throughput;

// "throughput" runs the server load test (Tern vs libcoap); "dtls-wire" prints DTLS handshake bytes
// (Tern vs libcoap); anything else goes to BenchmarkDotNet's switcher.
if (args.Length > 0 && args[0] == "throughput")
{
    return await ThroughputRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "fota-pull") { return await Tern.Benchmarks.Firmware.FirmwarePullRun.RunAsync(args[1..]); }

if (args.Length > 0 && args[0] == "dtls-wire")
{
    await DtlsWireFigures.RunAsync();
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(ThroughputRun).Assembly).Run(args);
return 0;
