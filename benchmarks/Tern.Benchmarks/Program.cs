using BenchmarkDotNet.Running;
using Tern.Benchmarks.Dtls;

if (args.Length > 0 && args[0] == "dtls-wire")
{
    await DtlsWireFigures.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
