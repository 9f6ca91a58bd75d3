using BenchmarkDotNet.Running;
using Tern.Benchmarks.Dtls;
using Tern.Benchmarks.ClientCost;
using Tern.Benchmarks.ServerLoad;
using Tern.Benchmarks.Throughput;

// "throughput" runs the server load test (Tern vs libcoap); "dtls-wire" prints DTLS handshake bytes
// (Tern vs libcoap); "dtls-psk N" and "dtls-cert N" time N PSK or certificate handshakes and count their bytes; "registrations" and "server-reads" load the LwM2M server; "client-memory" measures idle
// registered clients; anything else goes to BenchmarkDotNet's switcher.
if (args.Length > 0 && args[0] == "throughput")
{
    return await ThroughputRun.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "notify-latency") { return await Tern.Benchmarks.Reporting.NotifyLatencyRun.RunAsync(args[1..]); }

if (args.Length > 0 && args[0] == "fota-pull") { return await Tern.Benchmarks.Firmware.FirmwarePullRun.RunAsync(args[1..]); }

if (args.Length > 0 && args[0] == "fota-push") { return await Tern.Benchmarks.Firmware.FirmwarePushRun.RunAsync(args[1..]); }

if (args.Length > 0 && args[0] == "fota-push-device") { return await Tern.Benchmarks.Firmware.FirmwarePushDevice.RunAsync(args[1..]); }

if (args.Length > 0 && args[0] == "fota-server-pull") { return await Tern.Benchmarks.Firmware.ServerFirmwarePullRun.RunAsync(args[1..]); }

if (args.Length > 0 && args[0] == "dtls-wire")
{
    await DtlsWireFigures.RunAsync();
    return 0;
}

if (args.Length > 0 && args[0] == "dtls-psk")
{
    await DtlsPskHandshakeFigures.RunAsync(args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == "dtls-cert")
{
    await DtlsCertHandshakeFigures.RunAsync(args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == "registrations")
{
    return await ServerLoadRun.RunRegistrationsAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "server-reads")
{
    return await ServerLoadRun.RunReadsAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "client-memory")
{
    return await ClientMemoryRun.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(ThroughputRun).Assembly).Run(args);
return 0;
